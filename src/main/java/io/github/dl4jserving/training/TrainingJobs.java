package io.github.dl4jserving.training;

import io.github.dl4jserving.datasets.DataDirectory;
import io.github.dl4jserving.datasets.DatasetStore;
import io.github.dl4jserving.registry.ModelRegistry;
import io.github.dl4jserving.training.internal.JobStore;
import io.github.dl4jserving.training.internal.Trainer;
import io.github.dl4jserving.training.internal.TrainingMetrics;
import io.github.dl4jserving.training.internal.TrainingOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training API: jobs after H2O-3's {@code /3/Jobs}, submitted, compared, listed, cancelled and
 * followed here. {@link JobQueue} admits and runs them (one at a time by default, a bounded wait
 * queue), {@link JobState} is each job's live state and record, {@link JobRunner} trains and
 * publishes the result under the job's promotion rule, {@link JobBook} lists and prunes the jobs,
 * {@link Resumptions} continues them from checkpoints, and {@link JobEvents} sends the live events.
 * A job that was queued or running when the process died is marked {@code FAILED} ("interrupted")
 * at the next start, unless its trainer keeps checkpoints and left one: then it is queued again.
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
    private final JobBook jobs;
    private final Resumptions resumptions;
    private final ModelRegistry registry;
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
        this.jobs = new JobBook(store, settings.retention());
        this.resumptions = new Resumptions(this.trainers, uploads, store, events);
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
            JobState again = record.status().isFinal() ? null : resumptions.restartable(record);
            if (again != null) {
                jobs.add(again);
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
            jobs.add(job);
        }
        for (JobState job : restarted) {
            try {
                queue.admit(1, queue.fullMessage());
                enqueue(job);
                log.info("Job {} ({}) resumes from its last checkpoint", job.id(), job.model());
            } catch (JobQueueFullException e) {
                jobs.add(job);
                job.fail("interrupted, and no training slot was free to resume it: " + e.getMessage());
            }
        }
        jobs.prune();
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
                JobSpec.of(
                        UUID.randomUUID().toString(),
                        trainer,
                        name != null ? name : trainer.modelName(),
                        data,
                        parsed,
                        promotion,
                        null),
                events,
                store);
        queue.admit(1, queue.fullMessage());
        enqueue(job);
        log.info("Queued job {}: {} on {} with {}", job.id(), model, data.name(), parsed.values());
        jobs.prune();
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
        JobState source = jobs.get(resumeFrom);
        if (source == null) {
            throw new InvalidHyperparameterException(
                    "resumeFrom", "There is no job with id '" + JobBook.shorten(resumeFrom) + "' to resume from.");
        }
        JobState job = resumptions.resume(source, model, dataset, hyperparameters, promote);
        queue.admit(1, queue.fullMessage());
        enqueue(job);
        log.info(
                "Queued job {}: {} resumes job {} with {}",
                job.id(),
                source.model(),
                source.id(),
                job.spec().hyperparameters());
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
            throw new JobNotFoundException("There is no comparison with id '" + JobBook.shorten(id) + "'.");
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
                    "There is no trainer for '" + JobBook.shorten(model) + "'. Trainable models: " + trainers.keySet()
                            + ".");
        }
        return trainer;
    }

    /** Records and queues a job that holds a slot; the slot is released when the job ends. */
    private void enqueue(JobState job) {
        jobs.add(job);
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
        return jobs.find(id).snapshot();
    }

    /** Jobs, newest first, optionally only those with {@code status} and of {@code model}. */
    public List<TrainingJob> list(JobStatus status, String model) {
        return jobs.list(status, model);
    }

    /** One page of {@link #list}: at most {@code limit} jobs, and the cursor of the next page or null. */
    public record Page(List<TrainingJob> jobs, String next) {}

    /**
     * At most {@code limit} jobs of {@link #list}, starting after the job {@code after} (the {@code next}
     * of the page before), or from the newest when it is null.
     */
    public Page page(JobStatus status, String model, int limit, String after) {
        return jobs.page(status, model, limit, after);
    }

    /**
     * Cancels a job: a queued one is removed at once, a running one stops at its next iteration
     * ({@code CANCELLING}, then {@code CANCELLED}). Either way no version is written.
     */
    public TrainingJob cancel(String id) {
        JobState job = jobs.find(id);
        if (job.requestCancel(queue)) {
            metrics.jobFinished(job.model(), "cancelled");
        }
        TrainingJob answer = job.snapshot();
        jobs.prune();
        return answer;
    }

    /** The PNG sample grid a generator job saved after {@code epoch}. */
    public byte[] samples(String id, int epoch) {
        JobState job = jobs.find(id);
        return store.samples(job.id(), epoch)
                .orElseThrow(() -> new JobNotFoundException("Job " + job.id() + " has no samples for epoch " + epoch
                        + ": only generator jobs keep them, from the end of their first epoch."));
    }

    /**
     * Sends the job's current status to {@code listener} at once, then every event until the final
     * status. Returns the call that unsubscribes.
     */
    public Runnable subscribe(String id, Consumer<JobEvent> listener) {
        return jobs.find(id).subscribe(listener);
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
}
