package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.datasets.DataDirectory;
import io.github.dl4jserving.datasets.DatasetInfo;
import io.github.dl4jserving.datasets.DatasetStore;

/**
 * What a trainer reads: a built-in data set from the data directory, or, when {@code upload} is
 * set, an uploaded one from {@code uploads}.
 */
public record TrainingData(DataDirectory directory, String dataset, DatasetInfo upload, DatasetStore uploads) {

    public static TrainingData builtIn(DataDirectory directory, String dataset) {
        return new TrainingData(directory, dataset, null, null);
    }

    public boolean uploaded() {
        return upload != null;
    }
}
