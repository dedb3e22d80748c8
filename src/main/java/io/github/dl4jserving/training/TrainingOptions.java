package io.github.dl4jserving.training;

import java.time.Duration;

/**
 * Hyperparameters a caller may set; a {@code null} leaves the trainer's default.
 *
 * @param dropout    the probability of dropping a unit (not DL4J's retain probability)
 * @param timeBudget stop after the iteration that passes this much wall time (GAN training)
 */
public record TrainingOptions(Integer epochs, Integer batchSize, Double learningRate, Long seed, Double l2,
        Double dropout, Duration timeBudget) {

    public static TrainingOptions defaults() {
        return new TrainingOptions(null, null, null, null, null, null, null);
    }

    int epochsOr(int fallback) {
        return epochs != null ? epochs : fallback;
    }

    int batchSizeOr(int fallback) {
        return batchSize != null ? batchSize : fallback;
    }

    double learningRateOr(double fallback) {
        return learningRate != null ? learningRate : fallback;
    }

    long seedOr(long fallback) {
        return seed != null ? seed : fallback;
    }

    double l2Or(double fallback) {
        return l2 != null ? l2 : fallback;
    }

    double dropoutOr(double fallback) {
        return dropout != null ? dropout : fallback;
    }
}
