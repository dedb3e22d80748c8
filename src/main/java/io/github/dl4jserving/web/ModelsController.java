package io.github.dl4jserving.web;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.github.dl4jserving.registry.LoadedModel;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelRegistry;
import io.github.dl4jserving.registry.ModelKind;

/** Read-only views of the registry: descriptors, never networks. */
@RestController
class ModelsController {
    private final ModelRegistry registry;

    ModelsController(ModelRegistry registry) {
        this.registry = registry;
    }

    @GetMapping("/models")
    List<ModelSummary> list() {
        return registry.names().stream().map(this::summary).toList();
    }

    @GetMapping("/models/{name}")
    ModelDetails model(@PathVariable String name) {
        LoadedModel def = registry.defaultVersion(name);
        return new ModelDetails(name, def.descriptor().kind(), def.version(),
                registry.versions(name).stream().map(LoadedModel::descriptor).toList());
    }

    @GetMapping("/models/{name}/versions/{version}")
    ModelDescriptor version(@PathVariable String name, @PathVariable int version) {
        return registry.get(name, version).descriptor();
    }

    private ModelSummary summary(String name) {
        LoadedModel def = registry.defaultVersion(name);
        return new ModelSummary(name, def.descriptor().kind(), def.version(),
                registry.versions(name).stream().map(LoadedModel::version).toList(), def.descriptor().description(),
                def.descriptor().metrics());
    }

    /** One model: its kind, default version, every loaded version and the default's metrics. */
    record ModelSummary(String name, ModelKind kind, int defaultVersion, List<Integer> versions, String description,
            java.util.Map<String, Double> metrics) {
    }

    /** One model with the descriptor of each loaded version. */
    record ModelDetails(String name, ModelKind kind, int defaultVersion, List<ModelDescriptor> versions) {
    }
}
