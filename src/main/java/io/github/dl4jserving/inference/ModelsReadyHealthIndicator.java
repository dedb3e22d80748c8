package io.github.dl4jserving.inference;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import io.github.dl4jserving.platform.ServingProperties;
import io.github.dl4jserving.registry.LoadedModel;
import io.github.dl4jserving.registry.ModelRegistry;

/**
 * Part of the readiness group: UP only when every model (the configured defaults included) has its
 * default version loaded and warmed up, and no model's intended default (the pinned or the highest
 * version on disk) failed to load.
 */
@Component
class ModelsReadyHealthIndicator implements HealthIndicator {
    private final ModelRegistry registry;
    private final InferenceService inference;
    private final ServingProperties properties;

    ModelsReadyHealthIndicator(ModelRegistry registry, InferenceService inference, ServingProperties properties) {
        this.registry = registry;
        this.inference = inference;
        this.properties = properties;
    }

    @Override
    public Health health() {
        TreeSet<String> names = new TreeSet<>(registry.names());
        for (String configured : new String[] {properties.defaultImageModel(), properties.defaultTabularModel(),
            properties.defaultGeneratorModel()}) {
            if (configured != null && !configured.isBlank()) {
                names.add(configured);
            }
        }
        boolean ready = true;
        Map<String, Object> details = new LinkedHashMap<>();
        for (String name : names) {
            String state;
            if (!registry.names().contains(name)) {
                state = "missing";
            } else if (registry.intendedDefaultFailed(name)) {
                state = "default version failed to load";
            } else {
                LoadedModel def = registry.defaultVersion(name);
                state = inference.isWarm(name, def.version()) ? "ready (version " + def.version() + ")"
                        : "loading (version " + def.version() + ")";
            }
            ready &= state.startsWith("ready");
            details.put(name, state);
        }
        return (ready ? Health.up() : Health.outOfService()).withDetails(details).build();
    }
}
