package io.github.dl4jserving.training;

import io.github.dl4jserving.training.internal.Checkpoints;
import io.github.dl4jserving.training.internal.JobStore;
import io.github.dl4jserving.training.internal.TrainingProgress;
import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One job, the aggregate of its {@link JobSpec}, status, {@link JobProgress}, {@link JobSlot} and
 * {@link JobSubscribers}: its state is private and changes only through its transitions ({@link
 * #start}, {@link #succeed}, {@link #fail}, {@link #cancelled}, {@link #requestCancel}, {@link
 * #interrupt}, the trainer's progress calls), each of which takes the job's lock, saves the job and
 * announces it. {@link #snapshot()} is the record the API shows and the store keeps.
 */
final class JobState implements TrainingProgress {
    /** What a successful job wrote: the version (null for a comparison run), its metrics, and its promotion. */
    private record Result(Integer version, Map<String, Double> metrics, Boolean promoted, String reason) {
        static final Result NONE = new Result(null, null, null, null);
    }

    private final JobSpec spec;
    private final JobSubscribers subscribers;
    private final JobStore store;
    private final JobSlot slot = new JobSlot();

    private volatile boolean cancelRequested;
    private volatile boolean shuttingDown;
    private volatile JobStatus status;
    private final JobProgress progress;
    private Instant startedAt;
    private Instant finishedAt;
    private Result result = Result.NONE;
    private String error;
    /** The job whose checkpoints this one continues from: itself after a restart, or {@code resumeFrom}. */
    private volatile String resumeFrom;

    JobState(JobSpec spec, JobEvents events, JobStore store) {
        this.spec = spec;
        this.subscribers = new JobSubscribers(events);
        this.store = store;
        this.status = JobStatus.QUEUED;
        this.progress = new JobProgress();
    }

    JobState(TrainingJob r, JobEvents events, JobStore store) {
        this.spec = JobSpec.of(r);
        this.subscribers = new JobSubscribers(events);
        this.store = store;
        this.status = r.status();
        this.progress = new JobProgress(r);
        this.startedAt = r.startedAt();
        this.finishedAt = r.finishedAt();
        this.result = new Result(r.resultVersion(), r.metrics(), r.promoted(), r.promotionReason());
        this.error = r.error();
    }

    synchronized TrainingJob snapshot() {
        JobProgress.View p = progress.view();
        return new TrainingJob(
                spec.id(),
                spec.model(),
                spec.target(),
                spec.dataset(),
                spec.comparison(),
                spec.hyperparameters(),
                spec.promote(),
                status,
                p.progress(),
                p.epoch(),
                spec.epochs(),
                p.iteration(),
                p.loss(),
                status.isFinal() ? null : p.eta(),
                p.history(),
                p.losses(),
                spec.createdAt(),
                startedAt,
                finishedAt,
                TrainingJob.seconds(startedAt, finishedAt),
                result.version(),
                result.metrics(),
                result.promoted(),
                result.reason(),
                error);
    }

    String id() {
        return spec.id();
    }

    String model() {
        return spec.model();
    }

    JobSpec spec() {
        return spec;
    }

    JobStatus status() {
        return status;
    }

    /** Continues the checkpoints of {@code jobId}: itself after a restart, or the job it resumes. */
    void continueFrom(String jobId) {
        resumeFrom = jobId;
    }

    /** Its place in the queue. */
    JobSlot slot() {
        return slot;
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
                progress.started(System.nanoTime());
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
            result = new Result(version, metrics, becameDefault, reason);
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

    /**
     * Its trainer stopped at a cancel request: {@code CANCELLED}, or {@code FAILED} ("interrupted")
     * when the request came from the service shutting down. No version was written. Returns the status.
     */
    JobStatus cancelled() {
        synchronized (this) {
            finish(
                    shuttingDown ? JobStatus.FAILED : JobStatus.CANCELLED,
                    shuttingDown
                            ? "interrupted: the service shut down during training; no version was written. Start it again."
                            : null);
        }
        announce();
        return status;
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
                throw new JobConflictException("Job " + spec.id() + " has already finished: it is " + status + ".");
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
            listener.accept(JobEvent.status(snapshot()));
            return status.isFinal() ? () -> {} : subscribers.add(listener);
        }
    }

    /** Only under the job's lock. */
    private void finish(JobStatus end, String why) {
        status = end;
        error = why;
        finishedAt = Instant.now();
        if (end == JobStatus.SUCCEEDED) {
            progress.completed();
        }
        slot.release(); // before anyone can see the final status
    }

    /** Saves the job and sends its status to its subscribers. */
    private void announce() {
        save();
        emitStatus();
    }

    private void emitStatus() {
        JobEvent event = JobEvent.status(snapshot());
        if (status.isFinal()) {
            subscribers.sendLast(event);
        } else {
            subscribers.send(event);
        }
    }

    @Override
    public void iteration(int epochNumber, long iterationNumber, double iterationLoss, double fraction) {
        JobEvent event = progress.iteration(epochNumber, iterationNumber, iterationLoss, fraction, subscribers.heard());
        if (event != null) {
            subscribers.send(event);
        }
    }

    @Override
    public void epoch(int epochNumber, double trainingLoss, Map<String, Double> validation) {
        JobEvent event = progress.epoch(epochNumber, trainingLoss, validation);
        save();
        subscribers.send(event);
    }

    @Override
    public boolean cancelRequested() {
        return cancelRequested;
    }

    /** In {@code .jobs/<id>/checkpoints}, every {@code checkpointMinutes} (10 by default) within an epoch. */
    @Override
    public Checkpoints checkpoints() {
        return store.checkpoints(spec.id(), spec.options(), resumeFrom);
    }

    @Override
    public void resumed(int epochNumber, long iterationNumber, List<TrainingJob.EpochStats> earlier) {
        progress.resumed(epochNumber, iterationNumber, earlier);
        save();
    }

    /** Keeps the grid in the job store, as {@code .jobs/<id>/samples/epoch-<n>.png}. */
    @Override
    public void samples(int epochNumber, BufferedImage grid) {
        store.saveSamples(spec.id(), epochNumber, grid);
    }
}
