package io.github.dl4jserving;

import io.github.dl4jserving.datasets.DatasetSettings;
import io.github.dl4jserving.inference.BatchingSettings;
import io.github.dl4jserving.inference.InferenceService;
import io.github.dl4jserving.inference.InferenceSettings;
import io.github.dl4jserving.inference.internal.InferenceMetrics;
import io.github.dl4jserving.inference.internal.InferenceTracing;
import io.github.dl4jserving.inference.internal.VersionQueues;
import io.github.dl4jserving.registry.ModelRegistry;
import io.github.dl4jserving.registry.internal.FileModelStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.springframework.util.unit.DataSize;

/** The registry over the committed {@code models/} and an inference service on it, shared per test JVM. */
public final class ShippedModels {
    private static ModelRegistry registry;
    private static InferenceService inference;

    private ShippedModels() {}

    /** The inference settings the service starts with. */
    public static InferenceSettings settings() {
        return InferenceSettings.defaults();
    }

    /** The data set settings the service starts with, over the test data directory. */
    public static DatasetSettings datasetSettings() {
        return new DatasetSettings(TestData.DATA_DIR.toString(), DataSize.ofMegabytes(200), 4096, 1L << 28, 1L << 30);
    }

    /** An inference service on {@code registry} with the service's settings and batches of up to {@code maxBatch}. */
    public static InferenceService inference(ModelRegistry registry, int maxBatch) {
        InferenceMetrics metrics = new InferenceMetrics(new SimpleMeterRegistry());
        InferenceService inference = new InferenceService(
                registry,
                settings(),
                datasetSettings(),
                new VersionQueues(
                        registry,
                        new BatchingSettings(maxBatch, Duration.ZERO, 256),
                        null,
                        metrics,
                        InferenceTracing.OFF),
                metrics,
                InferenceTracing.OFF);
        inference.warmUpDefaults();
        return inference;
    }

    public static synchronized ModelRegistry registry() {
        if (registry == null) {
            registry = ModelRegistry.open(new FileModelStore(TestData.MODELS_DIR));
        }
        return registry;
    }

    public static synchronized InferenceService inference() {
        if (inference == null) {
            inference = inference(registry(), 64);
        }
        return inference;
    }
}
