package io.github.dl4jserving.registry.internal;

import io.github.dl4jserving.registry.LoadedModel;
import io.github.dl4jserving.registry.ModelRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/** Adds {@code models} to {@code /actuator/info}: each model's kind, default and loaded versions. */
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
            LoadedModel def = registry.defaultVersion(name);
            models.put(
                    name,
                    Map.of(
                            "kind",
                            def.descriptor().kind().wireName(),
                            "defaultVersion",
                            def.version(),
                            "versions",
                            registry.versions(name).stream()
                                    .map(LoadedModel::version)
                                    .toList()));
        }
        builder.withDetail("models", models);
    }
}
