package io.github.dl4jserving.web;

import io.github.dl4jserving.inference.InferenceService;
import io.github.dl4jserving.inference.InferenceSettings;
import io.github.dl4jserving.inference.InvalidInputException;
import io.github.dl4jserving.inference.ModelReadiness;
import io.github.dl4jserving.inference.ModelUploads;
import io.github.dl4jserving.platform.ChangesState;
import io.github.dl4jserving.platform.ReadEndpoint;
import io.github.dl4jserving.registry.ModelCatalog;
import io.github.dl4jserving.registry.ModelConflictException;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.VersionState;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.JsonNode;

/**
 * The management API: upload a version, choose the default, delete a version, load and unload a
 * version under the memory budget, per-model readiness.
 */
@RestController
@Tag(name = "Models")
class ModelManagementController {
    private final ModelCatalog catalog;
    private final ModelUploads uploads;
    private final ModelReadiness readiness;
    private final InferenceSettings defaults;
    private final InferenceService inference;

    ModelManagementController(
            ModelCatalog catalog,
            ModelUploads uploads,
            ModelReadiness readiness,
            InferenceSettings defaults,
            InferenceService inference) {
        this.inference = inference;
        this.catalog = catalog;
        this.uploads = uploads;
        this.readiness = readiness;
        this.defaults = defaults;
    }

    @Operation(
            operationId = "uploadModelVersion",
            summary = "Upload a new version: a ModelSerializer zip and its "
                    + "descriptor, checked by loading it and running one batch before it is accepted")
    @ChangesState
    @PostMapping(path = "/models/{name}/versions", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<ModelDescriptor> upload(
            @PathVariable String name,
            @RequestPart("model") MultipartFile model,
            @RequestPart("descriptor") String descriptorJson,
            @Parameter(
                            description = "true to accept a version whose kind, input or labels differ from the "
                                    + "current default's; the change is recorded in its descriptor")
                    @RequestParam(defaultValue = "false")
                    boolean allowSchemaChange)
            throws IOException {
        if (model.isEmpty()) {
            throw new InvalidInputException("model", "The 'model' part is empty: send the ModelSerializer zip.");
        }
        ModelDescriptor added;
        try (InputStream zip = model.getInputStream()) {
            added = uploads.upload(name, descriptorJson, zip, allowSchemaChange);
        }
        return ResponseEntity.created(URI.create("/models/" + name + "/versions/" + added.version()))
                .body(added);
    }

    @Operation(operationId = "setDefaultVersion", summary = "Make a loaded version the default")
    @ChangesState
    @PutMapping(path = "/models/{name}/default", consumes = MediaType.APPLICATION_JSON_VALUE)
    ModelsController.ModelSummary setDefault(@PathVariable String name, @RequestBody DefaultVersion body)
            throws IOException {
        JsonNode v = body == null ? null : body.version();
        if (v == null || !v.isInt() || v.intValue() < 1) {
            throw new InvalidInputException(
                    "version",
                    "Send {\"version\": N} with a loaded version number: a positive whole number, not "
                            + "a string or a fraction.");
        }
        catalog.setDefault(name, v.intValue());
        return ModelsController.summary(catalog, name);
    }

    @Operation(operationId = "deleteModelVersion", summary = "Delete a version; never the default or the last one")
    @ChangesState
    @DeleteMapping("/models/{name}/versions/{version}")
    ResponseEntity<Void> delete(@PathVariable String name, @PathVariable int version) throws IOException {
        catalog.delete(name, version);
        return ResponseEntity.noContent().build();
    }

    @Operation(
            operationId = "deleteModel",
            summary = "Delete a model: every version and its default (never one of the service's default "
                    + "models). Its version numbers stay taken, so shipped versions are not seeded again")
    @ChangesState
    @DeleteMapping("/models/{name}")
    ResponseEntity<Void> deleteModel(@PathVariable String name) throws IOException {
        // The models that requests naming none go to; the service is not ready without them.
        for (String[] setting : new String[][] {
            {"default-image-model", defaults.defaultImageModel()},
            {"default-tabular-model", defaults.defaultTabularModel()},
            {"default-generator-model", defaults.defaultGeneratorModel()}
        }) {
            if (setting[1].equals(name)) {
                throw new ModelConflictException("'" + name + "' is the service's " + setting[0].replace('-', ' ')
                        + " (dl4j-serving." + setting[0] + "): requests that name no model go there. Point the "
                        + "setting at another model, and restart, before deleting it.");
            }
        }
        catalog.deleteModel(name);
        return ResponseEntity.noContent().build();
    }

    @Operation(
            operationId = "loadModelVersion",
            summary = "Load a version into memory now, unloading the least recently used versions if the "
                    + "memory budget needs room; answers once it is loaded and has run its warm-up batch")
    @ApiResponse(responseCode = "200", description = "Loaded")
    @ApiResponse(responseCode = "503", description = "The budget is held by models kept loaded, or still loading")
    @ApiResponse(responseCode = "507", description = "The version is larger than the whole memory budget")
    @ChangesState
    @PostMapping("/models/{name}/versions/{version}/load")
    VersionMemory load(@PathVariable String name, @PathVariable int version) {
        return VersionMemory.of(name, inference.load(name, version));
    }

    @Operation(
            operationId = "unloadModelVersion",
            summary = "Unload a version from memory once its in-flight requests end; it stays listed and loads "
                    + "again on its next request. Refused (409) for a model in keep-loaded, or without a budget")
    @ChangesState
    @PostMapping("/models/{name}/versions/{version}/unload")
    VersionMemory unload(@PathVariable String name, @PathVariable int version) throws IOException {
        return VersionMemory.of(name, catalog.unload(name, version).get(0));
    }

    @Operation(operationId = "modelReady", summary = "Whether the model's default version is loaded and warmed up")
    @ApiResponse(
            responseCode = "200",
            description = "Ready",
            content = @Content(schema = @Schema(implementation = Readiness.class)))
    @ApiResponse(
            responseCode = "503",
            description = "Not warmed up yet",
            content = @Content(schema = @Schema(implementation = Readiness.class)))
    @ReadEndpoint
    @GetMapping("/models/{name}/ready")
    ResponseEntity<Readiness> ready(@PathVariable String name) {
        catalog.describe(name, null); // 404 for a model that is not there
        ModelReadiness.State state = readiness.of(name);
        return ResponseEntity.status(state.ready() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .body(new Readiness(name, state.defaultVersion(), state.ready(), state.description()));
    }

    /** The body of {@code PUT /models/{name}/default}. */
    /** {@code {"version": N}}; read as a node so that {@code 1.5} and {@code "1"} are refused, not coerced. */
    record DefaultVersion(
            @Schema(type = "integer", minimum = "1") JsonNode version) {}

    /**
     * A version's memory: whether it is loaded, the bytes it holds (or held when last loaded; 0 before
     * its first load) and when a request last used it (null: never).
     */
    record VersionMemory(String name, int version, boolean loaded, long bytes, Instant lastUsed) {
        static VersionMemory of(String name, VersionState state) {
            return new VersionMemory(
                    name, state.descriptor().version(), state.loaded(), state.bytes(), state.lastUsed());
        }
    }

    /** A model's readiness. */
    record Readiness(String name, Integer defaultVersion, boolean ready, String state) {}
}
