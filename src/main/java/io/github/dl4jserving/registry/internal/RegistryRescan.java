package io.github.dl4jserving.registry.internal;

import io.github.dl4jserving.registry.ModelRegistry;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Rescans the store every {@code dl4j-serving.registry-rescan-interval} (30 s by default), so a
 * version written, promoted or deleted by the train command or another replica is served, or
 * retired, without a restart. A store that could not be seeded at start-up is seeded first.
 */
class RegistryRescan {
    private static final Logger log = LoggerFactory.getLogger(RegistryRescan.class);
    private final ModelRegistry registry;
    private final RegistryConfiguration.StoreSeeding seeding;

    RegistryRescan(ModelRegistry registry, RegistryConfiguration.StoreSeeding seeding) {
        this.registry = registry;
        this.seeding = seeding;
    }

    @Scheduled(
            fixedDelayString = "${dl4j-serving.registry-rescan-interval:30s}",
            initialDelayString = "${dl4j-serving.registry-rescan-interval:30s}")
    void rescan() {
        try {
            seeding.trySeed();
        } catch (IOException | RuntimeException e) {
            log.warn("Could not seed the model store: {}", e.getMessage());
        }
        registry.refresh();
    }
}
