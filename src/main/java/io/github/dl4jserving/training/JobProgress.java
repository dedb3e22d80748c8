package io.github.dl4jserving.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where a job's training stands: the share done, the epoch and iteration, the last loss, the
 * estimated time left, the finished epochs and the loss curve. Part of the {@link JobState}
 * aggregate, which alone calls it; it has its own lock, taken after the job's and never before, so
 * that the trainer's many progress calls do not contend with the job's transitions.
 */
final class JobProgress {
    private static final long PROGRESS_EVENT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private double progress;
    private int epoch;
    private long iteration;
    private Double loss;
    private Double eta;
    private final EtaEstimate etaEstimate = new EtaEstimate();
    private final List<TrainingJob.EpochStats> history = new ArrayList<>();
    private final LossCurve losses;
    private long epochStartNanos;
    private long lastProgressEvent;

    /** What a snapshot shows of it. */
    record View(
            double progress,
            int epoch,
            long iteration,
            Double loss,
            Double eta,
            List<TrainingJob.EpochStats> history,
            List<double[]> losses) {}

    /** A new job's: nothing done. */
    JobProgress() {
        this.losses = new LossCurve(null);
    }

    /** A stored job's, as its record says. */
    JobProgress(TrainingJob r) {
        this.progress = r.progress();
        this.epoch = r.epoch();
        this.iteration = r.iteration();
        this.loss = r.loss();
        if (r.history() != null) {
            history.addAll(r.history());
        }
        this.losses = new LossCurve(r.losses());
    }

    synchronized View view() {
        return new View(progress, epoch, iteration, loss, eta, List.copyOf(history), losses.points());
    }

    /** The job started running at {@code nanos}: its first epoch is timed from there. */
    synchronized void started(long nanos) {
        epochStartNanos = nanos;
    }

    synchronized void completed() {
        progress = 1.0;
    }

    /**
     * Records an iteration. Returns the {@code progress} event to send, or null: a quarter of a
     * second has not passed since the last one, or nobody listens.
     */
    JobEvent iteration(int epochNumber, long iterationNumber, double iterationLoss, double fraction, boolean heard) {
        long now = System.nanoTime();
        synchronized (this) {
            epoch = epochNumber;
            iteration = iterationNumber;
            loss = iterationLoss;
            progress = Math.min(1.0, fraction);
            eta = etaEstimate.update(now, fraction);
            losses.add(iterationNumber, iterationLoss);
            if (!heard || now - lastProgressEvent <= PROGRESS_EVENT_NANOS) {
                return null;
            }
            lastProgressEvent = now;
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("epoch", epochNumber);
            d.put("iteration", iterationNumber);
            d.put("loss", iterationLoss);
            d.put("progress", progress);
            d.put("etaSeconds", eta);
            return new JobEvent("progress", d);
        }
    }

    /** Records a finished epoch, timed from the one before; returns its {@code epoch} event. */
    JobEvent epoch(int epochNumber, double trainingLoss, Map<String, Double> validation) {
        long now = System.nanoTime();
        TrainingJob.EpochStats stats;
        synchronized (this) {
            stats = new TrainingJob.EpochStats(
                    epochNumber,
                    trainingLoss,
                    validation == null ? Map.of() : Map.copyOf(validation),
                    (now - epochStartNanos) / 1e9);
            history.add(stats);
            epochStartNanos = now;
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("epoch", stats.epoch());
        d.put("trainingLoss", stats.trainingLoss());
        d.put("validation", stats.validation());
        d.put("seconds", stats.seconds());
        return new JobEvent("epoch", d);
    }

    /** Continues from a checkpoint: where it stood, and the epochs it had finished. */
    synchronized void resumed(int epochNumber, long iterationNumber, List<TrainingJob.EpochStats> earlier) {
        epoch = epochNumber;
        iteration = iterationNumber;
        history.clear();
        history.addAll(earlier);
    }
}
