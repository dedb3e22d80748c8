package io.github.dl4jserving.registry.internal;

import io.github.dl4jserving.registry.ModelRegistry;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Whether the last scan could read the model store. DOWN shows in the overall health, not in
 * readiness: the versions already loaded keep serving while the store is away, and a replica with
 * none loaded is not ready anyway ({@code modelRegistry}).
 */
class ModelStoreHealthIndicator implements HealthIndicator {
    private final ModelRegistry registry;

    ModelStoreHealthIndicator(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Health health() {
        Health.Builder builder = registry.storeProblem()
                .map(p -> Health.down()
                        .withDetail("error", p.reason())
                        .withDetail("since", p.since().toString()))
                .orElseGet(Health::up);
        return builder.withDetail("location", registry.storeLocation())
                .withDetail("readOnly", registry.readOnly())
                .build();
    }
}
