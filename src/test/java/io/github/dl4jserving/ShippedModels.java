package io.github.dl4jserving;

import org.springframework.util.unit.DataSize;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.github.dl4jserving.inference.BatchingSettings;
import io.github.dl4jserving.inference.InferenceService;
import io.github.dl4jserving.platform.ServingProperties;
import io.github.dl4jserving.registry.ModelRegistry;
import io.github.dl4jserving.registry.ModelStore;

/** The registry over the committed {@code models/} and an inference service on it, shared per test JVM. */
public final class ShippedModels {
    private static ModelRegistry registry;
    private static InferenceService inference;

    private ShippedModels() {
    }

    public static ServingProperties properties() {
        return new ServingProperties(TestData.MODELS_DIR.toString(), TestData.DATA_DIR.toString(), DataSize.ofMegabytes(10), 4096, 2,
                "mnist-mlp", "breast-cancer-logreg", "mnist-dcgan", 256, DataSize.ofMegabytes(200), 1, 64, "models");
    }

    public static synchronized ModelRegistry registry() {
        if (registry == null) {
            registry = new ModelRegistry(new ModelStore(TestData.MODELS_DIR));
        }
        return registry;
    }

    public static synchronized InferenceService inference() {
        if (inference == null) {
            inference = new InferenceService(registry(), properties(),
                    new BatchingSettings(64, java.time.Duration.ZERO, 256), new SimpleMeterRegistry());
        }
        return inference;
    }
}
