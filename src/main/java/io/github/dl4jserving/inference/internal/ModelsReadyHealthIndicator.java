package io.github.dl4jserving.inference.internal;

import io.github.dl4jserving.inference.ModelReadiness;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Part of the readiness group: UP only when {@link ModelReadiness} says the service is ready, with
 * each model's state as a detail.
 */
@Component
class ModelsReadyHealthIndicator implements HealthIndicator {
    private final ModelReadiness readiness;

    ModelsReadyHealthIndicator(ModelReadiness readiness) {
        this.readiness = readiness;
    }

    @Override
    public Health health() {
        Map<String, ModelReadiness.State> states = readiness.all();
        Map<String, Object> details = new LinkedHashMap<>();
        states.forEach((name, state) -> details.put(name, state.description()));
        return (readiness.ready(states) ? Health.up() : Health.outOfService())
                .withDetails(details)
                .build();
    }
}
