package io.github.dl4jserving.training.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.TestData;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The training meters, fed by a real (short) training run. */
class TrainingMetricsTest {

    @Test
    void timesEpochsAndPublishesTheLatestLossOfARealTrainingRun() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TrainingMetrics metrics = new TrainingMetrics(meters);
        AtomicInteger epochsSeen = new AtomicInteger();
        TrainingProgress progress = metrics.observe("breast-cancer-logreg", new TrainingProgress() {
            @Override
            public void epoch(int epoch, double trainingLoss, Map<String, Double> validation) {
                epochsSeen.incrementAndGet();
            }
        });

        new BreastCancerLogRegTrainer()
                .train(
                        TrainingData.builtIn(TestData.dataDirectory(), "breast-cancer-wisconsin"),
                        TrainingOptions.parse(
                                        Map.of("epochs", 5, "seed", 3),
                                        new BreastCancerLogRegTrainer().hyperparameters())
                                .options(),
                        progress);
        metrics.jobFinished("breast-cancer-logreg", "succeeded");
        metrics.jobsInState("RUNNING", () -> 0);

        assertThat(epochsSeen).hasValue(5);
        assertThat(meters.get("dl4j.training.epoch")
                        .tag("model", "breast-cancer-logreg")
                        .timer()
                        .count())
                .isEqualTo(5);
        double loss = meters.get("dl4j.training.loss")
                .tag("model", "breast-cancer-logreg")
                .gauge()
                .value();
        assertThat(loss).isPositive().isLessThan(1.0);
        assertThat(meters.get("dl4j.training.jobs.finished")
                        .tags("model", "breast-cancer-logreg", "outcome", "succeeded")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("dl4j.training.jobs")
                        .tag("state", "RUNNING")
                        .gauge()
                        .value())
                .isZero();
    }
}
