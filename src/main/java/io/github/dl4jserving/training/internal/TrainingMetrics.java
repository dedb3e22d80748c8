package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.training.TrainingJob;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The training meters, for the job runner to feed: {@code dl4j.training.epoch} (epoch duration per
 * model), {@code dl4j.training.loss} (the latest training loss per model, tagged by model only),
 * {@code dl4j.training.jobs.finished} (by model and outcome) and {@code dl4j.training.jobs}
 * (jobs by state). Job ids never become tags.
 */
public class TrainingMetrics {
    private final MeterRegistry meters;
    private final Map<String, AtomicReference<Double>> latestLoss = new ConcurrentHashMap<>();

    public TrainingMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Wraps a job's progress so its epochs are timed and its loss is published. */
    public TrainingProgress observe(String model, TrainingProgress delegate) {
        Timer epochTimer = Timer.builder("dl4j.training.epoch")
                .description("Duration of one training epoch")
                .tag("model", model)
                .publishPercentileHistogram()
                .register(meters);
        AtomicReference<Double> loss = latestLoss.computeIfAbsent(model, m -> {
            AtomicReference<Double> ref = new AtomicReference<>(Double.NaN);
            Gauge.builder("dl4j.training.loss", ref, AtomicReference::get)
                    .description("The latest training loss of the model's most recent job")
                    .tag("model", m)
                    .register(meters);
            return ref;
        });
        return new TrainingProgress() {
            private long epochStart = System.nanoTime();

            @Override
            public void iteration(int epoch, long iteration, double l, double fraction) {
                loss.set(l);
                delegate.iteration(epoch, iteration, l, fraction);
            }

            @Override
            public void epoch(int epoch, double trainingLoss, Map<String, Double> validation) {
                long now = System.nanoTime();
                epochTimer.record(now - epochStart, TimeUnit.NANOSECONDS);
                epochStart = now;
                loss.set(trainingLoss);
                delegate.epoch(epoch, trainingLoss, validation);
            }

            @Override
            public boolean cancelRequested() {
                return delegate.cancelRequested();
            }

            @Override
            public Checkpoints checkpoints() {
                return delegate.checkpoints();
            }

            @Override
            public void samples(int epoch, BufferedImage grid) {
                delegate.samples(epoch, grid);
            }

            @Override
            public void resumed(int epoch, long iteration, List<TrainingJob.EpochStats> history) {
                delegate.resumed(epoch, iteration, history);
            }
        };
    }

    /** Counts a job that ended: {@code outcome} is succeeded, failed or cancelled. */
    public void jobFinished(String model, String outcome) {
        Counter.builder("dl4j.training.jobs.finished")
                .description("Training jobs that ended, by outcome")
                .tags("model", model, "outcome", outcome)
                .register(meters)
                .increment();
    }

    /** Publishes the number of jobs in {@code state}, read from the job store on each scrape. */
    public void jobsInState(String state, Supplier<Number> count) {
        Gauge.builder("dl4j.training.jobs", count)
                .description("Training jobs by state")
                .tag("state", state)
                .register(meters);
    }
}
