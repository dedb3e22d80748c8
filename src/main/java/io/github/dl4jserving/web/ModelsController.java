package io.github.dl4jserving.web;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import io.github.dl4jserving.registry.LoadedModel;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelRegistry;
import io.github.dl4jserving.registry.ModelKind;

/** Read-only views of the registry: descriptors, never networks. */
@RestController
@Tag(name = "Models", description = "The model registry: versions, descriptors, metrics and provenance")
class ModelsController {
    private final ModelRegistry registry;

    ModelsController(ModelRegistry registry) {
        this.registry = registry;
    }

    @Operation(operationId = "listModels", summary = "List the models with their kind, default version and loaded versions")
    @GetMapping("/models")
    List<ModelSummary> list() {
        return registry.names().stream().map(n -> summary(registry, n)).toList();
    }

    @Operation(operationId = "getModel", summary = "Show a model and the descriptor of each loaded version")
    @GetMapping("/models/{name}")
    ModelDetails model(@PathVariable String name) {
        LoadedModel def = registry.defaultVersion(name);
        return new ModelDetails(name, def.descriptor().kind(), def.version(),
                registry.versions(name).stream().map(LoadedModel::descriptor).toList());
    }

    @Operation(operationId = "getModelVersion", summary = "Show one version's descriptor: input schema, labels, metrics and provenance")
    @GetMapping("/models/{name}/versions/{version}")
    ModelDescriptor version(@PathVariable String name, @PathVariable int version) {
        return registry.get(name, version).descriptor();
    }

    static ModelSummary summary(ModelRegistry registry, String name) {
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
