package io.github.dl4jserving.registry.internal;

import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelRegistry;
import io.github.dl4jserving.registry.VersionState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/**
 * Adds {@code models} to {@code /actuator/info}: each model's kind, default, versions and loaded
 * versions; and {@code modelMemory}: the budget and what the loaded versions hold.
 */
@Component
class ModelsInfoContributor implements InfoContributor {
    private final ModelRegistry registry;

    ModelsInfoContributor(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> models = new LinkedHashMap<>();
        for (String name : registry.names()) {
            ModelDescriptor def = registry.describe(name, null);
            List<VersionState> versions = registry.listing(name);
            models.put(
                    name,
                    Map.of(
                            "kind",
                            def.kind().wireName(),
                            "defaultVersion",
                            def.version(),
                            "versions",
                            versions.stream().map(v -> v.descriptor().version()).toList(),
                            "loadedVersions",
                            versions.stream()
                                    .filter(VersionState::loaded)
                                    .map(v -> v.descriptor().version())
                                    .toList()));
        }
        builder.withDetail("models", models);
        builder.withDetail("modelMemory", registry.memory());
    }
}
