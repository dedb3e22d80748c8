package io.github.dl4jserving.training;

import io.github.dl4jserving.datasets.DatasetInfo;
import io.github.dl4jserving.training.internal.Checkpoints;
import io.github.dl4jserving.training.internal.JobStore;
import io.github.dl4jserving.training.internal.Trainer;
import io.github.dl4jserving.training.internal.TrainingOptions;
import io.github.dl4jserving.training.internal.TrainingProgress;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job's live state, the only mutable view of a job: {@link #snapshot()} is the {@link TrainingJob}
 * record the API shows and the store keeps. It is also the trainer's {@link TrainingProgress}, and it
 * hands its events to the {@link JobEvents} fan-out, never to a subscriber on the training thread.
 */
final class JobState implements TrainingProgress {
    private static final Logger log = LoggerFactory.getLogger(JobState.class);
    private static final long PROGRESS_EVENT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final int MAX_LOSS_POINTS = 400;

    final String id;
    final String model;
    final String target;
    final String dataset;
    final DatasetInfo upload;
    /** Set for the jobs of an optimizer comparison, which write no version. */
    final String comparison;

    final Map<String, Object> hyperparameters;
    final Promotion promote;
    Instant createdAt;
    final TrainingOptions options;
    final List<Consumer<JobEvent>> listeners = new CopyOnWriteArrayList<>();
    final JobEvents events;
    final JobStore store;
    /** Gives back the job's admission slot: set while it holds one, taken (and run) once. */
    final AtomicReference<Runnable> slot = new AtomicReference<>();
    /** What the queue's executor runs for this job, so a queued job can be taken out again. */
    volatile Runnable task;

    volatile boolean cancelRequested;
    volatile boolean shuttingDown;
    volatile JobStatus status;
    double progress;
    int epoch;
    final int epochs;
    long iteration;
    Double loss;
    Double eta;
    private long firstIterationNanos;
    private double firstFraction;
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
    /** The job whose checkpoints this one continues from: itself after a restart, or {@code resumeFrom}. */
    volatile String resumeFrom;

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
                List.copyOf(losses),
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
        Runnable release = slot.getAndSet(null);
        if (release != null) {
            release.run();
        }
    }

    void emit(JobEvent event) {
        events.send(event, listeners);
    }

    void emitStatus() {
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
            // The ETA is measured from the first iteration, not the start (loading the data took a part
            // of a 10 s job that no iteration repeats), and only once 2% of the work is behind it.
            if (firstIterationNanos == 0) {
                firstIterationNanos = now;
                firstFraction = fraction;
            }
            double done = fraction - firstFraction;
            eta = done >= 0.02 ? (now - firstIterationNanos) / 1e9 * (1 - fraction) / done : null;
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
        TrainingJob.EpochStats stats = new TrainingJob.EpochStats(
                epochNumber,
                trainingLoss,
                validation == null ? Map.of() : Map.copyOf(validation),
                (now - epochStartNanos) / 1e9);
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

    /** In {@code .jobs/<id>/checkpoints}, every {@code checkpointMinutes} (10 by default) within an epoch. */
    @Override
    public Checkpoints checkpoints() {
        Duration interval = options != null && options.checkpointInterval() != null
                ? options.checkpointInterval()
                : Duration.ofMinutes(10);
        String from = resumeFrom;
        return new Checkpoints(checkpointDir(store, id), interval, from == null ? null : checkpointDir(store, from));
    }

    static Path checkpointDir(JobStore store, String id) {
        return store.workDir(id).resolve("checkpoints");
    }

    @Override
    public void resumed(int epochNumber, long iterationNumber, List<TrainingJob.EpochStats> earlier) {
        synchronized (this) {
            epoch = epochNumber;
            iteration = iterationNumber;
            history.clear();
            history.addAll(earlier);
        }
        store.save(snapshot());
    }

    /** Keeps the grid as {@code .jobs/<id>/samples/epoch-<n>.png}. */
    @Override
    public void samples(int epochNumber, BufferedImage grid) {
        Path file = samplesFile(store, id, epochNumber);
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(grid, "png", file.toFile());
        } catch (IOException e) {
            log.warn("Could not save the samples of job {} epoch {}: {}", id, epochNumber, e.toString());
        }
    }

    static Path samplesFile(JobStore store, String id, int epoch) {
        return store.workDir(id).resolve("samples").resolve(String.format("epoch-%03d.png", epoch));
    }
}
