package io.github.dl4jserving.training;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.dl4jserving.datasets.DataDirectory;
import io.github.dl4jserving.datasets.DatasetInfo;
import io.github.dl4jserving.datasets.DatasetStore;
import io.github.dl4jserving.registry.LoadedModel;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelRegistry;

/**
 * Training as asynchronous jobs, after H2O-3's {@code /3/Jobs}: a bounded executor (one job at a
 * time by default) with a bounded wait queue, progress and per-epoch history, cancellation within
 * one iteration, live events, and the result published to the registry as a new version under the
 * job's promotion policy. Job records are saved atomically after every change of status and every
 * epoch; a job that was queued or running when the process died is marked {@code FAILED}
 * ("interrupted") at the next start. Jobs do not resume: a checkpoint per epoch is not kept.
 */
public class TrainingJobs implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TrainingJobs.class);
    private static final long PROGRESS_EVENT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final int MAX_LOSS_POINTS = 400;

    private final Map<String, Trainer> trainers = new LinkedHashMap<>();
    private final ModelRegistry registry;
    private final DataDirectory data;
    private final DatasetStore uploads;
    private final JobStore store;
    private final TrainingMetrics metrics;
    private final TrainingSettings settings;
    private final ThreadPoolExecutor executor;
    /**
     * Admission: one permit per running or waiting job. The executor's own queue cannot be the
     * limit: a job offered to an idle worker sits in the queue until the worker takes it, so a
     * second offer right after it would be refused although a slot is free.
     */
    private final Semaphore slots;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();

    public TrainingJobs(List<Trainer> trainers, ModelRegistry registry, DataDirectory data, DatasetStore uploads,
            JobStore store, TrainingMetrics metrics, TrainingSettings settings) {
        trainers.forEach(t -> this.trainers.put(t.modelName(), t));
        this.registry = registry;
        this.data = data;
        this.uploads = uploads;
        this.store = store;
        this.metrics = metrics;
        this.settings = settings;
        this.slots = new Semaphore(settings.concurrency() + settings.queueCapacity());
        BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(settings.concurrency(), settings.concurrency(), 0, TimeUnit.SECONDS,
                queue, r -> {
                    Thread t = new Thread(r, "training-" + threads.incrementAndGet());
                    // Inference threads come first where the OS honours priorities.
                    t.setPriority(Thread.MIN_PRIORITY);
                    return t;
                });
        for (TrainingJob record : store.loadAll()) {
            Job job = new Job(record);
            if (!record.status().isFinal()) {
                job.finish(JobStatus.FAILED, "interrupted: the service stopped while the job was "
                        + record.status() + "; no version was written. Start it again.");
                store.save(job.snapshot());
                log.warn("Job {} ({}) was {} when the service stopped; marked FAILED", record.id(), record.model(),
                        record.status());
            }
            jobs.put(record.id(), job);
        }
        for (JobStatus s : JobStatus.values()) {
            metrics.jobsInState(s.name(), () -> jobs.values().stream().filter(j -> j.status == s).count());
        }
    }

    /** Every trainable model type, in catalogue order. */
    public List<Trainer> trainers() {
        return List.copyOf(trainers.values());
    }

    /**
     * Validates and queues a job. {@code dataset} is a built-in data set of the trainer or the id of
     * an uploaded one of a kind it accepts; a job on an uploaded data set must {@code name} the model
     * it writes, since its inputs or labels differ from the built-in model's. Throws
     * {@link InvalidHyperparameterException} naming the field at fault, or
     * {@link JobQueueFullException} when every slot and the queue are taken.
     */
    public TrainingJob submit(String model, String dataset, Map<String, ?> hyperparameters, String promote,
            String name) {
        Trainer trainer = trainer(model);
        DatasetChoice data = DatasetChoice.resolve(trainer, dataset, name, uploads);
        TrainingOptions.Parsed parsed = TrainingOptions.parse(hyperparameters, trainer.hyperparameters());
        Promotion promotion = Promotion.parse(promote);
        Job job = new Job(UUID.randomUUID().toString(), trainer, name != null ? name : trainer.modelName(), data,
                parsed, promotion, null);
        if (!slots.tryAcquire()) {
            throw queueFull();
        }
        enqueue(job);
        log.info("Queued job {}: {} on {} with {}", job.id, model, data.name(), parsed.values());
        return job.snapshot();
    }

    /**
     * Queues one job per optimizer, all with the same model, data, seed and other hyperparameters,
     * that write no version: their final loss, metrics and wall time are compared by
     * {@link #comparison}. Refused as a whole with {@link JobQueueFullException} if they do not all fit.
     */
    public Comparison compare(String model, String dataset, List<String> optimizers, Map<String, ?> hyperparameters) {
        Trainer trainer = trainer(model);
        if (trainer.hyperparameters().stream().noneMatch(h -> h.name().equals("optimizer"))) {
            throw new InvalidHyperparameterException("model", model + " has no optimizer to choose.");
        }
        if (optimizers == null || optimizers.isEmpty() || optimizers.size() > Optimizers.NAMES.size()
                || optimizers.stream().distinct().count() != optimizers.size()) {
            throw new InvalidHyperparameterException("optimizers", "optimizers must list 1 to "
                    + Optimizers.NAMES.size() + " different names from " + Optimizers.NAMES + ".");
        }
        if (hyperparameters != null && hyperparameters.containsKey("optimizer")) {
            throw new InvalidHyperparameterException("hyperparameters.optimizer",
                    "The optimizers are the ones compared; leave optimizer out of the hyperparameters.");
        }
        DatasetChoice data = DatasetChoice.resolve(trainer, dataset, model, uploads);
        String comparison = "cmp-" + UUID.randomUUID();
        List<Job> batch = new ArrayList<>();
        for (String optimizer : optimizers) {
            Map<String, Object> values = new LinkedHashMap<>(hyperparameters == null ? Map.of() : hyperparameters);
            values.put("optimizer", optimizer);
            TrainingOptions.Parsed parsed = TrainingOptions.parse(values, trainer.hyperparameters());
            batch.add(new Job(UUID.randomUUID().toString(), trainer, trainer.modelName(), data, parsed,
                    Promotion.NEVER, comparison));
        }
        if (!slots.tryAcquire(batch.size())) {
            throw new JobQueueFullException("A comparison of " + batch.size() + " optimizers needs "
                    + batch.size() + " free training slots; " + slots.availablePermits() + " are free. Retry later.");
        }
        batch.forEach(this::enqueue);
        log.info("Queued comparison {} of {} on {}: {}", comparison, model, data.name(), optimizers);
        return comparison(comparison);
    }

    /** A comparison's jobs, one row per optimizer in request order. */
    public Comparison comparison(String id) {
        List<TrainingJob> members = jobs.values().stream().map(Job::snapshot)
                .filter(j -> id != null && id.equals(j.comparison()))
                .sorted(java.util.Comparator.comparing(TrainingJob::createdAt)).toList();
        if (members.isEmpty()) {
            throw new JobNotFoundException("There is no comparison with id '" + shorten(id) + "'.");
        }
        return new Comparison(id, members.get(0).model(), members.get(0).dataset(), members);
    }

    /** The jobs of one optimizer comparison, in the order the optimizers were given. */
    public record Comparison(String id, String model, String dataset, List<TrainingJob> jobs) {
    }

    private Trainer trainer(String model) {
        Trainer trainer = model == null ? null : trainers.get(model);
        if (trainer == null) {
            throw new InvalidHyperparameterException("model", "There is no trainer for '" + shorten(model)
                    + "'. Trainable models: " + trainers.keySet() + ".");
        }
        return trainer;
    }

    private JobQueueFullException queueFull() {
        return new JobQueueFullException("The training queue is full: " + settings.concurrency()
                + " job(s) running and " + settings.queueCapacity() + " waiting. Retry later.");
    }

    /** Records and queues a job that holds a slot; the slot is released when the job ends. */
    private void enqueue(Job job) {
        job.slotHeld.set(true);
        jobs.put(job.id, job);
        store.save(job.snapshot());
        try {
            executor.execute(job);
        } catch (RejectedExecutionException e) { // shutting down
            jobs.remove(job.id);
            store.delete(job.id);
            job.releaseSlot();
            throw new JobQueueFullException("The service is shutting down and takes no new jobs.");
        }
    }

    public TrainingJob get(String id) {
        return find(id).snapshot();
    }

    /** Jobs, newest first, optionally only those with {@code status} and of {@code model}. */
    public List<TrainingJob> list(JobStatus status, String model) {
        return jobs.values().stream().map(Job::snapshot)
                .filter(j -> status == null || j.status() == status)
                .filter(j -> model == null || j.model().equals(model))
                .sorted(Comparator.comparing(TrainingJob::createdAt).reversed()).toList();
    }

    /**
     * Cancels a job: a queued one is removed at once, a running one stops at its next iteration
     * ({@code CANCELLING}, then {@code CANCELLED}). Either way no version is written.
     */
    public TrainingJob cancel(String id) {
        Job job = find(id);
        synchronized (job) {
            if (job.status.isFinal()) {
                throw new JobConflictException("Job " + id + " has already finished: it is " + job.status + ".");
            }
            job.cancelRequested = true;
            if (job.status == JobStatus.QUEUED && executor.remove(job)) {
                job.finish(JobStatus.CANCELLED, null);
            } else if (job.status != JobStatus.CANCELLING) {
                job.status = JobStatus.CANCELLING;
            }
        }
        store.save(job.snapshot());
        job.emitStatus();
        if (job.status == JobStatus.CANCELLED) {
            metrics.jobFinished(job.model, "cancelled");
        }
        return job.snapshot();
    }

    /**
     * Sends the job's current status to {@code listener} at once, then every event until the final
     * status. Returns the call that unsubscribes.
     */
    public Runnable subscribe(String id, Consumer<JobEvent> listener) {
        Job job = find(id);
        synchronized (job) {
            listener.accept(new JobEvent("status", job.statusData()));
            if (job.status.isFinal()) {
                return () -> { };
            }
            job.listeners.add(listener);
        }
        return () -> job.listeners.remove(listener);
    }

    /** Stops running jobs at their next iteration and marks every unfinished job as interrupted. */
    @Override
    public void close() {
        executor.shutdown();
        for (Job job : jobs.values()) {
            synchronized (job) {
                if (job.status == JobStatus.QUEUED && executor.remove(job)) {
                    job.finish(JobStatus.FAILED, "interrupted: the service shut down before the job started.");
                    store.save(job.snapshot());
                } else if (!job.status.isFinal()) {
                    job.shuttingDown = true;
                    job.cancelRequested = true;
                }
            }
        }
        try {
            if (!executor.awaitTermination(settings.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Training jobs did not stop within {}", settings.shutdownTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Job find(String id) {
        Job job = id == null ? null : jobs.get(id);
        if (job == null) {
            throw new JobNotFoundException("There is no job with id '" + shorten(id) + "'.");
        }
        return job;
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }

    /** One job's live state; {@link #snapshot()} is what leaves this class. */
    private final class Job implements Runnable, TrainingProgress {
        final String id;
        final String model;
        final String target;
        final String dataset;
        final DatasetInfo upload;
        /** Set for the jobs of an optimizer comparison, which write no version. */
        final String comparison;
        final Map<String, Object> hyperparameters;
        final Promotion promote;
        final Instant createdAt;
        final TrainingOptions options;
        final List<Consumer<JobEvent>> listeners = new CopyOnWriteArrayList<>();
        volatile boolean cancelRequested;
        volatile boolean shuttingDown;
        final java.util.concurrent.atomic.AtomicBoolean slotHeld = new java.util.concurrent.atomic.AtomicBoolean();
        volatile JobStatus status;
        double progress;
        int epoch;
        final int epochs;
        long iteration;
        Double loss;
        Double eta;
        final List<TrainingJob.EpochStats> history = new ArrayList<>();
        final List<double[]> losses = new ArrayList<>();
        int lossStride = 1;
        Instant startedAt;
        Instant finishedAt;
        Integer resultVersion;
        Map<String, Double> resultMetrics;
        Boolean promoted;
        String promotionReason;
        String error;
        long startNanos;
        long epochStartNanos;
        long lastProgressEvent;

        Job(String id, Trainer trainer, String target, DatasetChoice data, TrainingOptions.Parsed parsed,
                Promotion promote, String comparison) {
            this.id = id;
            this.model = trainer.modelName();
            this.target = target;
            this.dataset = data.name();
            this.upload = data.upload();
            this.comparison = comparison;
            this.hyperparameters = parsed.values();
            this.options = parsed.options();
            this.promote = promote;
            this.createdAt = Instant.now();
            this.status = JobStatus.QUEUED;
            this.epochs = parsed.values().get("epochs") instanceof Integer e ? e : 1;
        }

        Job(TrainingJob r) {
            this.id = r.id();
            this.model = r.model();
            this.target = r.name() != null ? r.name() : r.model();
            this.dataset = r.dataset();
            this.upload = null;
            this.comparison = r.comparison();
            this.hyperparameters = r.hyperparameters();
            this.options = null;
            this.promote = r.promote();
            this.createdAt = r.createdAt();
            this.status = r.status();
            this.progress = r.progress();
            this.epoch = r.epoch();
            this.epochs = r.epochs();
            this.iteration = r.iteration();
            this.loss = r.loss();
            if (r.history() != null) {
                history.addAll(r.history());
            }
            if (r.losses() != null) {
                losses.addAll(r.losses());
            }
            this.startedAt = r.startedAt();
            this.finishedAt = r.finishedAt();
            this.resultVersion = r.resultVersion();
            this.resultMetrics = r.metrics();
            this.promoted = r.promoted();
            this.promotionReason = r.promotionReason();
            this.error = r.error();
        }

        synchronized TrainingJob snapshot() {
            Double duration = startedAt == null ? null
                    : Duration.between(startedAt, finishedAt != null ? finishedAt : Instant.now()).toMillis() / 1000.0;
            return new TrainingJob(id, model, target, dataset, comparison, hyperparameters, promote, status, progress, epoch, epochs,
                    iteration, loss, status.isFinal() ? null : eta, List.copyOf(history), List.copyOf(losses),
                    createdAt, startedAt, finishedAt, duration, resultVersion, resultMetrics, promoted,
                    promotionReason, error);
        }

        synchronized Map<String, Object> statusData() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("id", id);
            d.put("status", status.name());
            d.put("progress", progress);
            d.put("epoch", epoch);
            d.put("iteration", iteration);
            if (resultVersion != null) {
                d.put("resultVersion", resultVersion);
                d.put("promoted", promoted);
                d.put("promotionReason", promotionReason);
            }
            if (error != null) {
                d.put("error", error);
            }
            return d;
        }

        synchronized void finish(JobStatus end, String why) {
            status = end;
            error = why;
            finishedAt = Instant.now();
            if (end == JobStatus.SUCCEEDED) {
                progress = 1.0;
            }
            releaseSlot(); // before anyone can see the final status
        }

        void releaseSlot() {
            if (slotHeld.compareAndSet(true, false)) {
                slots.release();
            }
        }

        void emit(JobEvent event) {
            for (Consumer<JobEvent> l : listeners) {
                try {
                    l.accept(event);
                } catch (RuntimeException e) {
                    listeners.remove(l);
                }
            }
        }

        void emitStatus() {
            emit(new JobEvent("status", statusData()));
            if (status.isFinal()) {
                listeners.clear();
            }
        }

        @Override
        public void run() {
            try {
                train();
            } finally {
                releaseSlot(); // also if the trainer threw an Error
            }
        }

        private void train() {
            Trainer trainer = trainers.get(model);
            synchronized (this) {
                if (cancelRequested) {
                    finish(shuttingDown ? JobStatus.FAILED : JobStatus.CANCELLED,
                            shuttingDown ? "interrupted: the service shut down before the job started." : null);
                }
                if (status.isFinal()) {
                    store.save(snapshot());
                    emitStatus();
                    return;
                }
                status = JobStatus.RUNNING;
                startedAt = Instant.now();
                startNanos = System.nanoTime();
                epochStartNanos = startNanos;
            }
            store.save(snapshot());
            emitStatus();
            String outcome;
            try {
                TrainingData input = upload != null ? new TrainingData(data, dataset, upload, uploads)
                        : TrainingData.builtIn(data, dataset);
                TrainedModel trained = trainer.train(input, options, metrics.observe(model, this));
                if (cancelRequested) {
                    trained.network().close();
                    throw new TrainingCancelledException();
                }
                ModelDescriptor candidate = trained.descriptor().withJobId(id).withName(target);
                if (comparison != null) {
                    trained.network().close();
                    synchronized (this) {
                        resultMetrics = candidate.metrics();
                        promoted = false;
                        promotionReason = "comparison run " + comparison + ": no version written";
                        finish(JobStatus.SUCCEEDED, null);
                    }
                    store.save(snapshot());
                    metrics.jobFinished(model, "succeeded");
                    emitStatus();
                    return;
                }
                PromotionPolicy.Decision decision = PromotionPolicy.decide(promote, trainer, candidate, registry);
                LoadedModel published;
                try {
                    published = registry.publish(candidate, trained.network(), trained.normalizer(), decision.promote());
                } finally {
                    trained.network().close();
                }
                synchronized (this) {
                    resultVersion = published.version();
                    resultMetrics = published.descriptor().metrics();
                    promoted = decision.promote();
                    promotionReason = decision.reason();
                    finish(JobStatus.SUCCEEDED, null);
                }
                outcome = "succeeded";
                log.info("Job {} wrote {} version {} ({}): {}", id, target, resultVersion,
                        promoted ? "promoted" : "not promoted", promotionReason);
            } catch (TrainingCancelledException e) {
                if (shuttingDown) {
                    finish(JobStatus.FAILED, "interrupted: the service shut down during training; no version was"
                            + " written. Start it again.");
                    outcome = "failed";
                } else {
                    finish(JobStatus.CANCELLED, null);
                    outcome = "cancelled";
                }
            } catch (IOException | RuntimeException | OutOfMemoryError e) {
                log.warn("Job {} failed", id, e);
                String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
                finish(JobStatus.FAILED, message.length() > 500 ? message.substring(0, 500) + "..." : message);
                outcome = "failed";
            }
            store.save(snapshot());
            metrics.jobFinished(model, outcome);
            emitStatus();
        }

        @Override
        public void iteration(int epochNumber, long iterationNumber, double iterationLoss, double fraction) {
            long now = System.nanoTime();
            synchronized (this) {
                epoch = epochNumber;
                iteration = iterationNumber;
                loss = iterationLoss;
                progress = Math.min(1.0, fraction);
                double elapsed = (now - startNanos) / 1e9;
                eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : null;
                if (iterationNumber % lossStride == 0) {
                    losses.add(new double[] {iterationNumber, iterationLoss});
                    if (losses.size() > MAX_LOSS_POINTS) {
                        for (int i = losses.size() - 1; i > 0; i -= 2) {
                            losses.remove(i);
                        }
                        lossStride *= 2;
                    }
                }
            }
            if (now - lastProgressEvent > PROGRESS_EVENT_NANOS && !listeners.isEmpty()) {
                lastProgressEvent = now;
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("epoch", epochNumber);
                d.put("iteration", iterationNumber);
                d.put("loss", iterationLoss);
                d.put("progress", progress);
                d.put("etaSeconds", eta);
                emit(new JobEvent("progress", d));
            }
        }

        @Override
        public void epoch(int epochNumber, double trainingLoss, Map<String, Double> validation) {
            long now = System.nanoTime();
            TrainingJob.EpochStats stats = new TrainingJob.EpochStats(epochNumber, trainingLoss,
                    validation == null ? Map.of() : Map.copyOf(validation), (now - epochStartNanos) / 1e9);
            synchronized (this) {
                history.add(stats);
                epochStartNanos = now;
            }
            store.save(snapshot());
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("epoch", stats.epoch());
            d.put("trainingLoss", stats.trainingLoss());
            d.put("validation", stats.validation());
            d.put("seconds", stats.seconds());
            emit(new JobEvent("epoch", d));
        }

        @Override
        public boolean cancelRequested() {
            return cancelRequested;
        }
    }
}
