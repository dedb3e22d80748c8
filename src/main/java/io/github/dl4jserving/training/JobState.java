package io.github.dl4jserving.training;

import io.github.dl4jserving.datasets.DatasetInfo;
import io.github.dl4jserving.training.internal.Checkpoints;
import io.github.dl4jserving.training.internal.JobStore;
import io.github.dl4jserving.training.internal.Trainer;
import io.github.dl4jserving.training.internal.TrainingOptions;
import io.github.dl4jserving.training.internal.TrainingProgress;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job: its state is private, and it changes only through its transitions ({@link #start},
 * {@link #succeed}, {@link #fail}, {@link #requestCancel}, {@link #interrupt}, the trainer's progress
 * calls), each of which takes the job's lock, saves the job and announces its new status.
 * {@link #snapshot()} is the {@link TrainingJob} record the API shows and the store keeps. It is also
 * the trainer's {@link TrainingProgress}, and it hands its events to the {@link JobEvents} fan-out,
 * never to a subscriber on the training thread.
 */
final class JobState implements TrainingProgress {
    private static final Logger log = LoggerFactory.getLogger(JobState.class);
    private static final long PROGRESS_EVENT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final String id;
    private final String model;
    private final String target;
    private final String dataset;
    private final DatasetInfo upload;
    /** Set for the jobs of an optimizer comparison, which write no version. */
    private final String comparison;

    private final Map<String, Object> hyperparameters;
    private final Promotion promote;
    private Instant createdAt;
    private final TrainingOptions options;
    private final List<Consumer<JobEvent>> listeners = new CopyOnWriteArrayList<>();
    private final JobEvents events;
    private final JobStore store;
    /** Gives back the job's admission slot: set while it holds one, taken (and run) once. */
    private final AtomicReference<Runnable> slot = new AtomicReference<>();
    /** What the queue's executor runs for this job, so a queued job can be taken out again. */
    private volatile Runnable task;

    private volatile boolean cancelRequested;
    private volatile boolean shuttingDown;
    private volatile JobStatus status;
    private double progress;
    private int epoch;
    private final int epochs;
    private long iteration;
    private Double loss;
    private Double eta;
    private final EtaEstimate etaEstimate = new EtaEstimate();
    private final List<TrainingJob.EpochStats> history = new ArrayList<>();
    private final LossCurve losses;
    private Instant startedAt;
    private Instant finishedAt;
    private Integer resultVersion;
    private Map<String, Double> resultMetrics;
    private Boolean promoted;
    private String promotionReason;
    private String error;
    private long startNanos;
    private long epochStartNanos;
    private long lastProgressEvent;
    /** The job whose checkpoints this one continues from: itself after a restart, or {@code resumeFrom}. */
    private volatile String resumeFrom;

    JobState(
            String id,
            Trainer trainer,
            String target,
            DatasetChoice data,
            TrainingOptions.Parsed parsed,
            Promotion promote,
            String comparison,
            JobEvents events,
            JobStore store) {
        this.events = events;
        this.store = store;
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
        this.losses = new LossCurve(null);
    }

    JobState(TrainingJob r, JobEvents events, JobStore store) {
        this.events = events;
        this.store = store;
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
        this.losses = new LossCurve(r.losses());
        this.startedAt = r.startedAt();
        this.finishedAt = r.finishedAt();
        this.resultVersion = r.resultVersion();
        this.resultMetrics = r.metrics();
        this.promoted = r.promoted();
        this.promotionReason = r.promotionReason();
        this.error = r.error();
    }

    synchronized TrainingJob snapshot() {
        Double duration = startedAt == null
                ? null
                : Duration.between(startedAt, finishedAt != null ? finishedAt : Instant.now())
                                .toMillis()
                        / 1000.0;
        return new TrainingJob(
                id,
                model,
                target,
                dataset,
                comparison,
                hyperparameters,
                promote,
                status,
                progress,
                epoch,
                epochs,
                iteration,
                loss,
                status.isFinal() ? null : eta,
                List.copyOf(history),
                losses.points(),
                createdAt,
                startedAt,
                finishedAt,
                duration,
                resultVersion,
                resultMetrics,
                promoted,
                promotionReason,
                error);
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

    String id() {
        return id;
    }

    String model() {
        return model;
    }

    /** The model name the job writes its version under. */
    String target() {
        return target;
    }

    String dataset() {
        return dataset;
    }

    /** The uploaded data set it trains on, or null for a built-in one. */
    DatasetInfo upload() {
        return upload;
    }

    /** The comparison it belongs to, or null. */
    String comparison() {
        return comparison;
    }

    Promotion promote() {
        return promote;
    }

    /** The hyperparameters as the request gave them, with the trainer's defaults filled in. */
    Map<String, Object> hyperparameters() {
        return hyperparameters;
    }

    /** The parsed hyperparameters; null for a job read back from the store. */
    TrainingOptions options() {
        return options;
    }

    JobStatus status() {
        return status;
    }

    /** Whether the service is shutting down under the job. */
    boolean shuttingDown() {
        return shuttingDown;
    }

    /** Continues the checkpoints of {@code jobId}: itself after a restart, or the job it resumes. */
    void continueFrom(String jobId, Instant originalCreatedAt) {
        resumeFrom = jobId;
        if (originalCreatedAt != null) {
            synchronized (this) {
                createdAt = originalCreatedAt;
            }
        }
    }

    /** Holds an admission slot, given back by {@code release}, while the executor runs {@code runs}. */
    void holdSlot(Runnable release, Runnable runs) {
        slot.set(release);
        task = runs;
    }

    /** The executor's task for this job, or null before it was queued. */
    Runnable task() {
        return task;
    }

    void releaseSlot() {
        Runnable release = slot.getAndSet(null);
        if (release != null) {
            release.run();
        }
    }

    /** Writes the job's record to the store. */
    void save() {
        store.save(snapshot());
    }

    /**
     * QUEUED to RUNNING, saved and announced; false, with the job finished, saved and announced, when
     * it was cancelled (or the service began to shut down) while it waited.
     */
    boolean start() {
        boolean runs;
        synchronized (this) {
            if (cancelRequested) {
                finish(
                        shuttingDown ? JobStatus.FAILED : JobStatus.CANCELLED,
                        shuttingDown ? "interrupted: the service shut down before the job started." : null);
            }
            runs = !status.isFinal();
            if (runs) {
                status = JobStatus.RUNNING;
                startedAt = Instant.now();
                startNanos = System.nanoTime();
                epochStartNanos = startNanos;
            }
        }
        announce();
        return runs;
    }

    /**
     * Finished with a result: {@code version} written (null for a comparison run, which writes none)
     * with {@code metrics}, promoted to the default or not, and why.
     */
    void succeed(Integer version, Map<String, Double> metrics, boolean becameDefault, String reason) {
        synchronized (this) {
            resultVersion = version;
            resultMetrics = metrics;
            promoted = becameDefault;
            promotionReason = reason;
            finish(JobStatus.SUCCEEDED, null);
        }
        announce();
    }

    /** Finished without a result, for {@code why}. */
    void fail(String why) {
        synchronized (this) {
            finish(JobStatus.FAILED, why);
        }
        announce();
    }

    /** Finished because it was cancelled; no version was written. */
    void cancelled() {
        synchronized (this) {
            finish(JobStatus.CANCELLED, null);
        }
        announce();
    }

    /**
     * Asks the job to stop: taken out of {@code queue} and {@code CANCELLED} at once if it still waits
     * there, else {@code CANCELLING} until its trainer sees the request at its next iteration. Returns
     * whether it is cancelled already; refused for a finished job.
     */
    boolean requestCancel(JobQueue queue) {
        boolean done;
        synchronized (this) {
            if (status.isFinal()) {
                throw new JobConflictException("Job " + id + " has already finished: it is " + status + ".");
            }
            cancelRequested = true;
            if (status == JobStatus.QUEUED && queue.unqueue(this)) {
                finish(JobStatus.CANCELLED, null);
            } else if (status != JobStatus.CANCELLING) {
                status = JobStatus.CANCELLING;
            }
            done = status == JobStatus.CANCELLED;
        }
        announce();
        return done;
    }

    /**
     * The service shuts down: a job still in {@code queue} fails at once, a running one is asked to
     * stop and fails when its trainer does.
     */
    void interrupt(JobQueue queue) {
        boolean failed = false;
        synchronized (this) {
            if (status == JobStatus.QUEUED && queue.unqueue(this)) {
                finish(JobStatus.FAILED, "interrupted: the service shut down before the job started.");
                failed = true;
            } else if (!status.isFinal()) {
                shuttingDown = true;
                cancelRequested = true;
            }
        }
        if (failed) {
            save();
        }
    }

    /**
     * Sends the current status to {@code listener} at once, then every event until the final status.
     * Returns the call that unsubscribes.
     */
    Runnable subscribe(Consumer<JobEvent> listener) {
        synchronized (this) {
            listener.accept(new JobEvent("status", statusData()));
            if (status.isFinal()) {
                return () -> {};
            }
            listeners.add(listener);
        }
        return () -> listeners.remove(listener);
    }

    /** Only under the job's lock. */
    private void finish(JobStatus end, String why) {
        status = end;
        error = why;
        finishedAt = Instant.now();
        if (end == JobStatus.SUCCEEDED) {
            progress = 1.0;
        }
        releaseSlot(); // before anyone can see the final status
    }

    /** Saves the job and sends its status to its subscribers. */
    private void announce() {
        save();
        emitStatus();
    }

    private void emit(JobEvent event) {
        events.send(event, listeners);
    }

    private void emitStatus() {
        emit(new JobEvent("status", statusData()));
        if (status.isFinal()) {
            // send() took the subscribers of this moment; none follow the last event.
            listeners.clear();
        }
    }

    @Override
    public void iteration(int epochNumber, long iterationNumber, double iterationLoss, double fraction) {
        long now = System.nanoTime();
        synchronized (this) {
            epoch = epochNumber;
            iteration = iterationNumber;
            loss = iterationLoss;
            progress = Math.min(1.0, fraction);
            eta = etaEstimate.update(now, fraction);
            losses.add(iterationNumber, iterationLoss);
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
        TrainingJob.EpochStats stats = new TrainingJob.EpochStats(
                epochNumber,
                trainingLoss,
                validation == null ? Map.of() : Map.copyOf(validation),
                (now - epochStartNanos) / 1e9);
        synchronized (this) {
            history.add(stats);
            epochStartNanos = now;
        }
        save();
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

    /** In {@code .jobs/<id>/checkpoints}, every {@code checkpointMinutes} (10 by default) within an epoch. */
    @Override
    public Checkpoints checkpoints() {
        Duration interval = options != null && options.checkpointInterval() != null
                ? options.checkpointInterval()
                : Duration.ofMinutes(10);
        String from = resumeFrom;
        return new Checkpoints(store.checkpointDir(id), interval, from == null ? null : store.checkpointDir(from));
    }

    @Override
    public void resumed(int epochNumber, long iterationNumber, List<TrainingJob.EpochStats> earlier) {
        synchronized (this) {
            epoch = epochNumber;
            iteration = iterationNumber;
            history.clear();
            history.addAll(earlier);
        }
        save();
    }

    /** Keeps the grid in the job store, as {@code .jobs/<id>/samples/epoch-<n>.png}. */
    @Override
    public void samples(int epochNumber, BufferedImage grid) {
        try {
            store.saveSamples(id, epochNumber, grid);
        } catch (IOException e) {
            log.warn("Could not save the samples of job {} epoch {}: {}", id, epochNumber, e.toString());
        }
    }
}
