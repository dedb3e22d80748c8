package io.github.dl4jserving.training;

import java.io.IOException;

import io.github.dl4jserving.datasets.DataDirectory;

/** Trains one model type. Implementations hold no state between calls. */
public interface Trainer {
    /** The registry name the result is written under. */
    String modelName();

    TrainedModel train(DataDirectory data, TrainingOptions options, TrainingProgress progress) throws IOException;
}
