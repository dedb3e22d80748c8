package io.github.dl4jserving.registry.internal;

import io.github.dl4jserving.platform.LifecyclePhases;
import io.github.dl4jserving.registry.ModelRegistry;
import io.github.dl4jserving.registry.RegistrySettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the store that {@code dl4j-serving.registry.*} names and the registry over it. */
@Configuration(proxyBeanMethods = false)
class RegistryConfiguration {

    @Bean
    ModelStore modelStore(RegistrySettings properties) {
        return ModelStores.open(properties);
    }

    /**
     * The store's shipped versions are copied in before the registry's first scan; when the store
     * cannot be reached yet, {@link RegistryRescan} tries again at every rescan.
     */
    @Bean
    StoreSeeding storeSeeding(ModelStore store, RegistrySettings properties) {
        return new StoreSeeding(store, properties.seedModelsPath());
    }

    @Bean
    ModelRegistry modelRegistry(ModelStore store, ApplicationEventPublisher events, RegistrySettings properties) {
        return new ModelRegistry(store, events, properties.registry().memory());
    }

    /** Seeds the store, then starts the registry: before inference warms up and the server opens. */
    @Bean
    SmartLifecycle registryLifecycle(ModelRegistry registry, StoreSeeding seeding) {
        return LifecyclePhases.at(LifecyclePhases.REGISTRY, () -> {
            try {
                seeding.trySeed();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not seed the model store: " + e.getMessage(), e);
            }
            registry.start();
        });
    }

    @Bean
    RegistryMetrics registryMetrics(ModelRegistry registry, MeterRegistry meters) {
        return new RegistryMetrics(registry, meters);
    }

    /** Picks up versions written by other processes (the train command, another replica). */
    @Bean
    RegistryRescan registryRescan(ModelRegistry registry, StoreSeeding seeding) {
        return new RegistryRescan(registry, seeding);
    }

    @Bean
    ModelRegistryHealthIndicator modelRegistryHealthIndicator(ModelRegistry registry) {
        return new ModelRegistryHealthIndicator(registry);
    }

    @Bean
    ModelStoreHealthIndicator modelStoreHealthIndicator(ModelRegistry registry) {
        return new ModelStoreHealthIndicator(registry);
    }

    /** Seeds the store once it can be reached. */
    static final class StoreSeeding {
        private final ModelStore store;
        private final Optional<Path> seeds;
        private volatile boolean done;

        StoreSeeding(ModelStore store, Optional<Path> seeds) {
            this.store = store;
            this.seeds = seeds;
            this.done = seeds.isEmpty();
        }

        /** Seeds the store unless that is done; false while the store cannot be reached. */
        boolean trySeed() throws IOException {
            if (!done) {
                done = ModelStores.seed(store, seeds.get());
            }
            return done;
        }
    }
}
