package io.github.dl4jserving.web;

import io.github.dl4jserving.platform.ReadEndpoint;
import io.github.dl4jserving.registry.ModelCatalog;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelKind;
import io.github.dl4jserving.registry.VersionState;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Read-only views of the registry: descriptors, never networks. */
@RestController
@Tag(name = "Models", description = "The model registry: versions, descriptors, metrics and provenance")
class ModelsController {
    private final ModelCatalog catalog;

    ModelsController(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    @Operation(
            operationId = "listModels",
            summary = "List the models with their kind, default version, versions and, per version, whether it is "
                    + "in memory, the bytes it holds and its last use")
    @ReadEndpoint
    @GetMapping("/models")
    List<ModelSummary> list() {
        return catalog.names().stream().map(n -> summary(catalog, n)).toList();
    }

    @Operation(operationId = "getModel", summary = "Show a model and the descriptor of each version")
    @ReadEndpoint
    @GetMapping("/models/{name}")
    ModelDetails model(@PathVariable String name) {
        ModelDescriptor def = catalog.describe(name, null);
        return new ModelDetails(name, def.kind(), def.version(), catalog.versions(name));
    }

    @Operation(
            operationId = "getModelVersion",
            summary = "Show one version's descriptor: input schema, labels, metrics and provenance")
    @ReadEndpoint
    @GetMapping("/models/{name}/versions/{version}")
    ModelDescriptor version(@PathVariable String name, @PathVariable int version) {
        return catalog.describe(name, version);
    }

    static ModelSummary summary(ModelCatalog catalog, String name) {
        ModelDescriptor def = catalog.describe(name, null);
        List<VersionState> listing = catalog.listing(name);
        return new ModelSummary(
                name,
                def.kind(),
                def.version(),
                listing.stream().map(v -> v.descriptor().version()).toList(),
                def.description(),
                def.metrics(),
                listing.stream()
                        .map(v -> ModelManagementController.VersionMemory.of(name, v))
                        .toList());
    }

    /**
     * One model: its kind, default version, every version, the default's metrics and each version's
     * memory.
     */
    record ModelSummary(
            String name,
            ModelKind kind,
            int defaultVersion,
            List<Integer> versions,
            String description,
            Map<String, Double> metrics,
            List<ModelManagementController.VersionMemory> memory) {}

    /** One model with the descriptor of each version. */
    record ModelDetails(String name, ModelKind kind, int defaultVersion, List<ModelDescriptor> versions) {}
}
