package io.github.dl4jserving.registry.internal;

import io.github.dl4jserving.registry.ModelRegistry;
import io.github.dl4jserving.registry.RegistrySettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the store and the registry on {@code dl4j-serving.models-dir}. */
@Configuration(proxyBeanMethods = false)
class RegistryConfiguration {

    /** The writable store, first given the shipped versions it has never had. */
    @Bean
    ModelStore modelStore(RegistrySettings properties) throws IOException {
        return ModelStore.seeded(properties.modelsPath(), properties.seedModelsPath());
    }

    @Bean
    ModelRegistry modelRegistry(ModelStore store, ApplicationEventPublisher events) {
        return new ModelRegistry(store, events);
    }

    @Bean
    RegistryMetrics registryMetrics(ModelRegistry registry, MeterRegistry meters) {
        return new RegistryMetrics(registry, meters);
    }

    /** Picks up versions written by other processes (the train command, another replica). */
    @Bean
    RegistryRescan registryRescan(ModelRegistry registry) {
        return new RegistryRescan(registry);
    }

    @Bean
    ModelRegistryHealthIndicator modelRegistryHealthIndicator(ModelRegistry registry) {
        return new ModelRegistryHealthIndicator(registry);
    }
}
