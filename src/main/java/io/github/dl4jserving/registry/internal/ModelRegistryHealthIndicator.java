package io.github.dl4jserving.registry.internal;

import io.github.dl4jserving.registry.LoadedModel;
import io.github.dl4jserving.registry.ModelRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports each model's loaded versions and default, and every version on disk that failed to load.
 * Broken versions do not make the service DOWN: the others keep serving. It is DOWN only when no
 * model at all is loaded.
 */
public class ModelRegistryHealthIndicator implements HealthIndicator {
    private final ModelRegistry registry;

    public ModelRegistryHealthIndicator(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Health health() {
        Map<String, Object> models = new LinkedHashMap<>();
        for (String name : registry.names()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("defaultVersion", registry.describe(name, null).version());
            m.put(
                    "versions",
                    registry.listing(name).stream()
                            .map(v -> v.descriptor().version())
                            .toList());
            m.put(
                    "loaded",
                    registry.versions(name).stream().map(LoadedModel::version).toList());
            models.put(name, m);
        }
        Health.Builder builder = models.isEmpty() ? Health.down() : Health.up();
        return builder.withDetail("models", models)
                .withDetail("unavailable", registry.failures())
                .build();
    }
}
