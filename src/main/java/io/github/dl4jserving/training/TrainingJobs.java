package io.github.dl4jserving.training;

import io.github.dl4jserving.datasets.DataDirectory;
import io.github.dl4jserving.datasets.DatasetStore;
import io.github.dl4jserving.registry.ModelRegistry;
import io.github.dl4jserving.training.internal.Checkpoints;
import io.github.dl4jserving.training.internal.JobStore;
import io.github.dl4jserving.training.internal.Trainer;
import io.github.dl4jserving.training.internal.TrainingMetrics;
import io.github.dl4jserving.training.internal.TrainingOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * The training API: jobs after H2O-3's {@code /3/Jobs}, submitted, compared, listed, cancelled and
 * followed here. {@link JobQueue} admits and runs them (one at a time by default, a bounded wait
 * queue), {@link JobState} is each job's live state and record, {@link JobRunner} trains, builds the
 * provenance and publishes the result under the job's promotion rule, and {@link JobEvents} sends
 * the live events on a thread of its own. Job records are saved atomically after every change of
 * status and every epoch; a job that was queued or running when the process died is marked
 * {@code FAILED} ("interrupted") at the next start, unless its trainer keeps checkpoints and left
 * one: then it is queued again and continues from there. {@code resumeFrom} starts a new job from
 * another's last checkpoint.
 */
public class TrainingJobs implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TrainingJobs.class);

    private final Map<String, Trainer> trainers = new LinkedHashMap<>();
    private final DatasetStore uploads;
    private final JobStore store;
    private final TrainingMetrics metrics;
    private final JobQueue queue;
    private final JobRunner runner;
    private final JobEvents events = new JobEvents();
    private final Map<String, JobState> jobs = new ConcurrentHashMap<>();
    private final ModelRegistry registry;
    private final TrainingSettings.Retention retention;
    private final boolean forwardsTraining;

    public TrainingJobs(
            List<Trainer> trainers,
            ModelRegistry registry,
            DataDirectory data,
            DatasetStore uploads,
            JobStore store,
            TrainingMetrics metrics,
            TrainingSettings settings) {
        trainers.forEach(t -> this.trainers.put(t.modelName(), t));
        this.registry = registry;
        this.uploads = uploads;
        this.store = store;
        this.metrics = metrics;
        this.retention = settings.retention();
        this.queue = new JobQueue(settings);
        this.runner = new JobRunner(this.trainers, registry, data, uploads, metrics);
        this.forwardsTraining = settings.forwardsTraining();
        if (forwardsTraining) {
            // The trainer replica owns every job record; this one must not read, let alone mark, them.
            log.info("Training is forwarded to {}: no job records are kept here", settings.trainerUrl());
        }
        for (JobStatus s : JobStatus.values()) {
            metrics.jobsInState(
                    s.name(),
                    () -> jobs.values().stream().filter(j -> j.status() == s).count());
        }
    }

    /**
     * Reads the job records: a job the last stop interrupted is queued again from its newest
     * checkpoint where its trainer keeps them, and marked failed otherwise; old finished jobs are
     * pruned. The service starts it before the web server opens
     * ({@link io.github.dl4jserving.platform.LifecyclePhases#TRAINING}).
     */
    public void start() {
        List<JobState> restarted = new ArrayList<>();
        for (TrainingJob record : forwardsTraining ? List.<TrainingJob>of() : store.loadAll()) {
            JobState job = new JobState(record, events, store);
            JobState again = record.status().isFinal() ? null : restartable(record);
            if (again != null) {
                jobs.put(record.id(), again);
                restarted.add(again);
                continue;
            }
            if (!record.status().isFinal()) {
                job.fail("interrupted: the service stopped while the job was " + record.status()
                        + "; no version was written. Start it again.");
                log.warn(
                        "Job {} ({}) was {} when the service stopped; marked FAILED",
                        record.id(),
                        record.model(),
                        record.status());
            }
            jobs.put(record.id(), job);
        }
        for (JobState job : restarted) {
            try {
                queue.admit(1, queue.fullMessage());
                enqueue(job);
                log.info("Job {} ({}) resumes from its last checkpoint", job.id(), job.model());
            } catch (JobQueueFullException e) {
                jobs.put(job.id(), job);
                job.fail("interrupted, and no training slot was free to resume it: " + e.getMessage());
            }
        }
        prune();
    }

    /**
     * The job again, queued to continue from its newest checkpoint, if its trainer keeps them and
     * left one; {@code null} otherwise.
     */
    private JobState restartable(TrainingJob record) {
        Trainer trainer = trainers.get(record.model());
        if (trainer == null || !trainer.resumable() || record.comparison() != null) {
            return null;
        }
        try {
            if (Checkpoints.latest(store.checkpointDir(record.id())).isEmpty()) {
                return null;
            }
            DatasetChoice data = DatasetChoice.resolve(trainer, record.dataset(), record.name(), uploads);
            TrainingOptions.Parsed parsed = TrainingOptions.parse(record.hyperparameters(), trainer.hyperparameters());
            JobState job = new JobState(
                    record.id(), trainer, record.name(), data, parsed, record.promote(), null, events, store);
            job.continueFrom(record.id(), record.createdAt());
            return job;
        } catch (RuntimeException e) {
            log.warn("Job {} cannot resume: {}", record.id(), e.getMessage());
            return null;
        }
    }

    /** Every trainable model type, in catalogue order. */
    public List<TrainerInfo> trainers() {
        return trainers.values().stream().map(TrainerInfo::of).toList();
    }

    /**
     * Validates and queues a job. {@code dataset} is a built-in data set of the trainer or the id of
     * an uploaded one of a kind it accepts; a job on an uploaded data set must {@code name} the model
     * it writes, since its inputs or labels differ from the built-in model's. Throws
     * {@link InvalidHyperparameterException} naming the field at fault, or
     * {@link JobQueueFullException} when every slot and the queue are taken.
     */
    public TrainingJob submit(
            String model, String dataset, Map<String, ?> hyperparameters, String promote, String name) {
        if (registry.readOnly()) {
            throw new JobConflictException("This replica's model store is read-only "
                    + "(dl4j-serving.registry.read-only=true): a job could not write its result. Train where the "
                    + "repository is writable, for example with the train command as a Kubernetes Job.");
        }
        Trainer trainer = trainer(model);
        DatasetChoice data = DatasetChoice.resolve(trainer, dataset, name, uploads);
        TrainingOptions.Parsed parsed = TrainingOptions.parse(hyperparameters, trainer.hyperparameters());
        Promotion promotion = Promotion.parse(promote);
        JobState job = new JobState(
                UUID.randomUUID().toString(),
                trainer,
                name != null ? name : trainer.modelName(),
                data,
                parsed,
                promotion,
                null,
                events,
                store);
        queue.admit(1, queue.fullMessage());
        enqueue(job);
        log.info("Queued job {}: {} on {} with {}", job.id(), model, data.name(), parsed.values());
        prune();
        return job.snapshot();
    }

    /**
     * Queues a job that continues from the newest checkpoint of the finished job {@code resumeFrom},
     * on the same trainer, data and target model; its hyperparameters are the earlier job's, changed
     * by those given (more {@code epochs} or {@code minutes}, say). {@code model} and {@code dataset}
     * may be left out; if given they must match.
     */
    public TrainingJob resume(
            String resumeFrom, String model, String dataset, Map<String, ?> hyperparameters, String promote) {
        if (registry.readOnly()) {
            return submit(model, dataset, hyperparameters, promote, null); // refused there, with the reason
        }
        JobState source = resumeFrom == null ? null : jobs.get(resumeFrom);
        if (source == null) {
            throw new InvalidHyperparameterException(
                    "resumeFrom", "There is no job with id '" + shorten(resumeFrom) + "' to resume from.");
        }
        Trainer trainer = trainer(source.model());
        if (model != null && !model.equals(source.model())) {
            throw new InvalidHyperparameterException(
                    "model", "Job " + source.id() + " trained " + source.model() + ", not " + shorten(model) + ".");
        }
        if (dataset != null && !dataset.equals(source.dataset())) {
            throw new InvalidHyperparameterException(
                    "dataset", "Job " + source.id() + " trained on " + source.dataset() + "; a resumed job does too.");
        }
        if (!trainer.resumable()) {
            throw new InvalidHyperparameterException(
                    "resumeFrom",
                    source.model() + " keeps no checkpoints, so its jobs cannot resume; resumable: "
                            + trainers.values().stream()
                                    .filter(Trainer::resumable)
                                    .map(Trainer::modelName)
                                    .toList()
                            + ".");
        }
        if (!source.status().isFinal()) {
            throw new JobConflictException(
                    "Job " + source.id() + " is " + source.status() + "; resume it once it has stopped.");
        }
        if (Checkpoints.latest(store.checkpointDir(source.id())).isEmpty()) {
            throw new JobConflictException("Job " + source.id() + " left no checkpoint to resume from.");
        }
        Map<String, Object> values = new LinkedHashMap<>(source.hyperparameters());
        if (hyperparameters != null) {
            values.putAll(hyperparameters);
        }
        DatasetChoice data = DatasetChoice.resolve(trainer, source.dataset(), source.target(), uploads);
        TrainingOptions.Parsed parsed = TrainingOptions.parse(values, trainer.hyperparameters());
        JobState job = new JobState(
                UUID.randomUUID().toString(),
                trainer,
                source.target(),
                data,
                parsed,
                promote != null ? Promotion.parse(promote) : source.promote(),
                null,
                events,
                store);
        job.continueFrom(source.id(), null);
        queue.admit(1, queue.fullMessage());
        enqueue(job);
        log.info("Queued job {}: {} resumes job {} with {}", job.id(), source.model(), source.id(), parsed.values());
        return job.snapshot();
    }

    /**
     * Queues one job per optimizer, all with the same model, data, seed and other hyperparameters,
     * that write no version: their final loss, metrics and wall time are compared by
     * {@link #comparison}. Refused as a whole with {@link JobQueueFullException} if they do not all fit.
     */
    public Comparison compare(String model, String dataset, List<String> optimizers, Map<String, ?> hyperparameters) {
        OptimizerComparison.Planned planned =
                OptimizerComparison.plan(trainer(model), dataset, optimizers, hyperparameters, uploads, events, store);
        int n = planned.jobs().size();
        queue.admit(
                n,
                "A comparison of " + n + " optimizers needs " + n + " free training slots; {free} are free. "
                        + "Retry later.");
        planned.jobs().forEach(this::enqueue);
        log.info(
                "Queued comparison {} of {} on {}: {}",
                planned.id(),
                model,
                planned.data().name(),
                optimizers);
        return comparison(planned.id());
    }

    /** A comparison's jobs, one row per optimizer in request order. */
    public Comparison comparison(String id) {
        Comparison found = OptimizerComparison.find(id, jobs.values().stream().map(JobState::snapshot));
        if (found == null) {
            throw new JobNotFoundException("There is no comparison with id '" + shorten(id) + "'.");
        }
        return found;
    }

    /** The jobs of one optimizer comparison, in the order the optimizers were given. */
    public record Comparison(String id, String model, String dataset, List<TrainingJob> jobs) {}

    private Trainer trainer(String model) {
        Trainer trainer = model == null ? null : trainers.get(model);
        if (trainer == null) {
            throw new InvalidHyperparameterException(
                    "model",
                    "There is no trainer for '" + shorten(model) + "'. Trainable models: " + trainers.keySet() + ".");
        }
        return trainer;
    }

    /** Records and queues a job that holds a slot; the slot is released when the job ends. */
    private void enqueue(JobState job) {
        jobs.put(job.id(), job);
        job.save();
        try {
            queue.execute(job, runner.task(job));
        } catch (JobQueueFullException e) { // shutting down
            jobs.remove(job.id());
            store.delete(job.id());
            throw e;
        }
    }

    public TrainingJob get(String id) {
        return find(id).snapshot();
    }

    /** Jobs, newest first, optionally only those with {@code status} and of {@code model}. */
    public List<TrainingJob> list(JobStatus status, String model) {
        return jobs.values().stream()
                .map(JobState::snapshot)
                .filter(j -> status == null || j.status() == status)
                .filter(j -> model == null || j.model().equals(model))
                .sorted(NEWEST_FIRST)
                .toList();
    }

    /** Newest first; jobs created in the same instant by id, so that a cursor is exact. */
    private static final Comparator<TrainingJob> NEWEST_FIRST = Comparator.comparing(TrainingJob::createdAt)
            .thenComparing(TrainingJob::id)
            .reversed();

    /** One page of {@link #list}: at most {@code limit} jobs, and the cursor of the next page or null. */
    public record Page(List<TrainingJob> jobs, String next) {}

    /**
     * At most {@code limit} jobs of {@link #list}, starting after the job {@code after} (the {@code next}
     * of the page before), or from the newest when it is null.
     */
    public Page page(JobStatus status, String model, int limit, String after) {
        List<TrainingJob> all = list(status, model);
        int from = 0;
        if (after != null) {
            JobState cursor = jobs.get(after);
            if (cursor == null) {
                throw new InvalidHyperparameterException(
                        "after",
                        "'after' must be the id of a job from the page before (its 'next' link); job '" + shorten(after)
                                + "' does not exist, or was deleted by the retention policy.");
            }
            TrainingJob c = cursor.snapshot();
            while (from < all.size() && NEWEST_FIRST.compare(all.get(from), c) <= 0) {
                from++;
            }
        }
        int to = Math.min(all.size(), from + limit);
        return new Page(all.subList(from, to), to < all.size() ? all.get(to - 1).id() : null);
    }

    /**
     * Applies the retention policy: finished jobs past the count or the age go, with their records,
     * checkpoints and sample grids; of the rest, only the newest few keep their checkpoints.
     */
    synchronized void prune() {
        // One snapshot per job: a snapshot copies the job's loss history, so none is taken per comparison.
        List<TrainingJob> finished =
                list(null, null).stream().filter(j -> j.status().isFinal()).toList();
        Instant oldest = Instant.now().minus(retention.maxAge());
        int kept = 0;
        for (TrainingJob record : finished) {
            Instant ended = record.finishedAt() != null ? record.finishedAt() : record.createdAt();
            if (kept >= retention.maxFinishedJobs() || ended.isBefore(oldest)) {
                jobs.remove(record.id());
                store.delete(record.id());
                deleteFiles(store.workDir(record.id()));
                continue;
            }
            if (kept >= retention.keepCheckpoints()) {
                deleteFiles(store.checkpointDir(record.id()));
            }
            kept++;
        }
    }

    private static void deleteFiles(Path dir) {
        try {
            FileSystemUtils.deleteRecursively(dir);
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", dir, e.toString());
        }
    }

    /**
     * Cancels a job: a queued one is removed at once, a running one stops at its next iteration
     * ({@code CANCELLING}, then {@code CANCELLED}). Either way no version is written.
     */
    public TrainingJob cancel(String id) {
        JobState job = find(id);
        if (job.requestCancel(queue)) {
            metrics.jobFinished(job.model(), "cancelled");
        }
        TrainingJob answer = job.snapshot();
        prune();
        return answer;
    }

    /** The PNG sample grid a generator job saved after {@code epoch}. */
    public byte[] samples(String id, int epoch) {
        JobState job = find(id);
        Path file = store.samplesFile(job.id(), epoch);
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new JobNotFoundException("Job " + job.id() + " has no samples for epoch " + epoch
                    + ": only generator jobs keep them, from the end of their first epoch.");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends the job's current status to {@code listener} at once, then every event until the final
     * status. Returns the call that unsubscribes.
     */
    public Runnable subscribe(String id, Consumer<JobEvent> listener) {
        return find(id).subscribe(listener);
    }

    /** Stops running jobs at their next iteration and marks every unfinished job as interrupted. */
    @Override
    public void close() {
        queue.shutdown();
        for (JobState job : jobs.values()) {
            job.interrupt(queue);
        }
        queue.awaitStop();
        events.close();
    }

    private JobState find(String id) {
        JobState job = id == null ? null : jobs.get(id);
        if (job == null) {
            throw new JobNotFoundException("There is no job with id '" + shorten(id) + "'.");
        }
        return job;
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
