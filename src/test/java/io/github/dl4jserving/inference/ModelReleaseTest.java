package io.github.dl4jserving.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.RegistryEvents;
import io.github.dl4jserving.ShippedModels;
import io.github.dl4jserving.TestData;
import io.github.dl4jserving.registry.LoadedModel;
import io.github.dl4jserving.registry.ModelRegistry;
import io.github.dl4jserving.registry.internal.FileModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deleted version gives back its native memory, but only after the batch it is running: the
 * DCGAN generator (the largest shipped network) is deleted while a 256-digit request runs on it.
 */
class ModelReleaseTest {

    @Test
    void aDeletedVersionFinishesItsInFlightBatchThenClosesItsParameters(@TempDir Path models) throws Exception {
        Path source = TestData.MODELS_DIR.resolve("mnist-dcgan").resolve("3");
        Files.createDirectories(models.resolve("mnist-dcgan").resolve("3"));
        for (String f : new String[] {"model.zip", "model.json"}) {
            Files.copy(
                    source.resolve(f),
                    models.resolve("mnist-dcgan").resolve("3").resolve(f));
        }
        RegistryEvents events = new RegistryEvents();
        ModelRegistry registry = ModelRegistry.open(new FileModelStore(models), events);
        InferenceService inference = ShippedModels.inference(registry, 256);
        events.deliverTo(inference::on);
        LoadedModel second = registry.upload(
                registry.defaultVersion("mnist-dcgan").descriptor(),
                source.resolve("model.zip"),
                inference::validate,
                false);
        registry.setDefault("mnist-dcgan", 3);
        inference.generate("mnist-dcgan", second.version(), 1, 1);

        CompletableFuture<Answers.GeneratedDigits> inFlight =
                CompletableFuture.supplyAsync(() -> inference.generate("mnist-dcgan", second.version(), 256, 2));
        Thread.sleep(300); // the 256-vector forward pass takes about 2 s on 2 cores
        registry.delete("mnist-dcgan", second.version());
        boolean closedWhileRunning = second.network().params().wasClosed();

        assertThat(inFlight.get().images())
                .as("the request in flight during the delete")
                .hasSize(256);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!second.network().params().wasClosed() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        assertThat(inFlight).isCompleted();
        assertThat(closedWhileRunning).as("closed under the running batch").isFalse();
        assertThat(second.network().params().wasClosed())
                .as("parameters released after the batch")
                .isTrue();
        assertThat(registry.get("mnist-dcgan", 3).network().params().wasClosed())
                .isFalse();
        assertThat(inference.generate("mnist-dcgan", 3, 4, 3).images()).hasSize(4);
    }
}
