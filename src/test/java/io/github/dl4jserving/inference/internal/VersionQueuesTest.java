package io.github.dl4jserving.inference.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jserving.TestData;
import io.github.dl4jserving.inference.BatchingSettings;
import io.github.dl4jserving.registry.LoadedModel;
import io.github.dl4jserving.registry.ModelNotFoundException;
import io.github.dl4jserving.registry.ModelRegistry;
import io.github.dl4jserving.registry.RegistryEvent;
import io.github.dl4jserving.registry.internal.FileModelStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The version queues, built without side effects and driven by the registry's events. */
class VersionQueuesTest {
    @TempDir
    Path root;

    private VersionQueues queues(ModelRegistry registry) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        return new VersionQueues(
                registry,
                new BatchingSettings(8, Duration.ZERO, 64),
                null,
                new InferenceMetrics(meters),
                InferenceTracing.OFF);
    }

    /** A started registry over a copy of the shipped breast-cancer model. */
    private ModelRegistry shippedLogisticRegression() throws Exception {
        TestData.copyTree(TestData.MODELS_DIR.resolve("breast-cancer-logreg"), root.resolve("breast-cancer-logreg"));
        return ModelRegistry.open(new FileModelStore(root));
    }

    @Test
    void buildingRunsNothingAndTheStartWarmsEveryDefault() throws Exception {
        ModelRegistry registry = shippedLogisticRegression();
        LoadedModel model = registry.defaultVersion("breast-cancer-logreg");
        try (VersionQueues queues = queues(registry)) {
            assertThat(queues.isWarm(model.name(), model.version()))
                    .as("built, not started")
                    .isFalse();
            queues.warmUpDefaults();
            assertThat(queues.isWarm(model.name(), model.version())).isTrue();

            float[][] out = queues.run(model, new float[9], 1);
            assertThat(out).hasDimensions(1, 1);
        }
    }

    @Test
    void aRetiredVersionRefusesNewWorkAtOnce() throws Exception {
        ModelRegistry registry = shippedLogisticRegression();
        LoadedModel model = registry.defaultVersion("breast-cancer-logreg");
        try (VersionQueues queues = queues(registry)) {
            queues.on(new RegistryEvent.ModelVersionLoaded(model.name(), model.version(), 0));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!queues.isWarm(model.name(), model.version()) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(queues.isWarm(model.name(), model.version()))
                    .as("warmed on the lifecycle thread after the event")
                    .isTrue();

            registry.deleteModel(model.name());
            queues.on(new RegistryEvent.ModelVersionRetired(model.id()));
            assertThatThrownBy(() -> queues.run(model, new float[9], 1))
                    .isInstanceOf(ModelNotFoundException.class)
                    .hasMessageContaining("was just deleted");

            // Once no request holds it, the registry announces the network as unloaded; the event names
            // the version only, and the queue takes the network from the registry and closes it.
            queues.on(new RegistryEvent.ModelVersionUnloaded(model.id()));
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!model.network().params().wasClosed() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(model.network().params().wasClosed()).isTrue();
            assertThat(registry.takeRetired(model.id())).as("taken once").isEmpty();
        }
    }
}
