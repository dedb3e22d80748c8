package io.github.dl4jserving.registry.internal;

import io.github.dl4jserving.registry.ModelRegistry;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Rescans the models directory every {@code dl4j-serving.registry-rescan-interval} (30 s by
 * default), so a version written by the train command or another replica starts serving without
 * a restart.
 */
class RegistryRescan {
    private final ModelRegistry registry;

    RegistryRescan(ModelRegistry registry) {
        this.registry = registry;
    }

    @Scheduled(
            fixedDelayString = "${dl4j-serving.registry-rescan-interval:30s}",
            initialDelayString = "${dl4j-serving.registry-rescan-interval:30s}")
    void rescan() {
        registry.refresh();
    }
}
