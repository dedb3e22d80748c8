package io.github.dl4jserving.registry.internal;

import io.github.dl4jserving.registry.RegistrySettings;
import java.io.File;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Free space where versions, data sets and job records are written. Replaces Spring Boot's
 * {@code diskSpace} indicator, which reports the absolute path it watches (and watches the working
 * directory, not the models directory). Below the threshold it is DOWN, which the overall health
 * shows; readiness does not include it, because a full disk stops writes, not inference.
 */
@Component("diskSpace")
class ModelsDiskSpace implements HealthIndicator {
    /** Less than this is DOWN: about one mnist-dcgan version (9 MB) and some room for records. */
    static final long THRESHOLD = 50L << 20;

    private final File dir;

    ModelsDiskSpace(RegistrySettings properties) {
        this.dir = new File(properties.modelsDir());
    }

    @Override
    public Health health() {
        long free = dir.getUsableSpace();
        long total = dir.getTotalSpace();
        return (free >= THRESHOLD ? Health.up() : Health.down())
                .withDetail("watching", "the models directory")
                .withDetail("free", free)
                .withDetail("total", total)
                .withDetail("threshold", THRESHOLD)
                .build();
    }
}
