package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.registry.ModelKind;
import io.github.dl4jserving.training.Hyperparameter;
import java.io.IOException;
import java.util.List;

/** Trains one model type. Implementations hold no state between calls. */
public interface Trainer {
    /** The registry name the result is written under. */
    String modelName();

    ModelKind kind();

    String description();

    /** The built-in data sets it trains on; the first is the default. */
    List<String> datasets();

    /** The kinds of uploaded data sets ({@code DatasetInfo} kinds) it can also train on. */
    default List<String> uploadKinds() {
        return List.of();
    }

    /** Every hyperparameter it accepts, with defaults and ranges. */
    List<Hyperparameter> hyperparameters();

    /**
     * Whether it saves checkpoints through {@link TrainingProgress#checkpoints()} and continues from
     * them, so that an interrupted job can resume.
     */
    default boolean resumable() {
        return false;
    }

    /** The held-out metric in its descriptor that decides {@code promote: if-better}. */
    PrimaryMetric primaryMetric();

    /**
     * Metrics on which a version promoted by {@code if-better} must also be no worse than the
     * default, where both have them: one number rarely says all of a model's quality.
     */
    default List<PrimaryMetric> guardMetrics() {
        return List.of();
    }

    TrainedModel train(TrainingData data, TrainingOptions options, TrainingProgress progress) throws IOException;

    /** A metric name in {@code model.json} and which direction is better. */
    record PrimaryMetric(String name, boolean higherIsBetter) {
        public boolean better(double candidate, double current) {
            return higherIsBetter ? candidate > current : candidate < current;
        }
    }
}
