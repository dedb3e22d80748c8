package io.github.dl4jserving.web;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import io.github.dl4jserving.inference.InferenceService;
import io.github.dl4jserving.inference.ModelReadiness;
import io.github.dl4jserving.inference.InvalidInputException;
import io.github.dl4jserving.platform.StorageException;
import io.github.dl4jserving.registry.InvalidModelException;
import io.github.dl4jserving.registry.LoadedModel;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelRegistry;
import io.github.dl4jserving.registry.ModelStore;

/** The management API: upload a version, choose the default, delete a version, per-model readiness. */
@RestController
@Tag(name = "Models")
class ModelManagementController {
    private final ModelRegistry registry;
    private final InferenceService inference;

    private final ModelReadiness readiness;

    ModelManagementController(ModelRegistry registry, InferenceService inference, ModelReadiness readiness) {
        this.registry = registry;
        this.inference = inference;
        this.readiness = readiness;
    }

    @Operation(operationId = "uploadModelVersion", summary = "Upload a new version: a ModelSerializer zip and its "
            + "descriptor, checked by loading it and running one batch before it is accepted")
    @PostMapping(path = "/models/{name}/versions", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<ModelDescriptor> upload(@PathVariable String name,
            @RequestPart("model") MultipartFile model, @RequestPart("descriptor") String descriptorJson)
            throws IOException {
        if (!ModelStore.isValidName(name)) {
            throw new InvalidInputException("name", ModelStore.NAME_RULE);
        }
        if (model.isEmpty()) {
            throw new InvalidInputException("model", "The 'model' part is empty: send the ModelSerializer zip.");
        }
        ModelDescriptor sent = ModelStore.parseDescriptor(descriptorJson);
        if (sent.name() != null && !sent.name().equals(name)) {
            throw new InvalidModelException("The descriptor names model '" + sent.name() + "' but was sent to '"
                    + name + "'.");
        }
        if (sent.kind() == null || sent.input() == null) {
            throw new InvalidModelException("The descriptor needs a 'kind' and an 'input' schema.");
        }
        checkText("labels", sent.labels());
        checkText("input.features", sent.input().features() == null ? null
                : sent.input().features().stream().map(ModelDescriptor.FeatureRange::name).toList());
        checkText("metrics", sent.metrics() == null ? null : List.copyOf(sent.metrics().keySet()));
        ModelDescriptor descriptor = new ModelDescriptor(name, 0, sent.kind(),
                sent.createdAt() != null ? sent.createdAt() : Instant.now(), sent.description(), sent.input(),
                sent.labels(), sent.metrics() != null ? sent.metrics() : Map.of(), sent.provenance());
        Path upload = null;
        try {
            try {
                upload = Files.createTempFile("dl4j-upload-", ".zip");
                model.transferTo(upload);
            } catch (IOException e) {
                StorageException.throwIfStorage("the upload", e, StorageException.TEMP_DIR);
                throw e;
            }
            LoadedModel added = registry.upload(descriptor, upload, inference::validate);
            return ResponseEntity.created(URI.create("/models/" + name + "/versions/" + added.version()))
                    .body(added.descriptor());
        } finally {
            if (upload != null) {
                Files.deleteIfExists(upload);
            }
        }
    }

    /** Characters a label, feature or metric name may not hold: markup, quotes and control characters. */
    private static final java.util.regex.Pattern UNSAFE = java.util.regex.Pattern.compile("[<>&\"'`\\p{Cntrl}]");

    /**
     * Names that clients show (the web page among them) must be plain text: 1 to 64 characters, no
     * markup, quotes or control characters.
     */
    private static void checkText(String field, List<String> names) {
        if (names == null) {
            return;
        }
        for (String name : names) {
            if (name == null || name.isBlank() || name.length() > 64 || UNSAFE.matcher(name).find()) {
                throw new InvalidInputException(field, "Every name in '" + field + "' must be 1 to 64 characters "
                        + "of plain text, without < > & quotes, backticks or control characters.");
            }
        }
    }

    @Operation(operationId = "setDefaultVersion", summary = "Make a loaded version the default")
    @PutMapping(path = "/models/{name}/default", consumes = MediaType.APPLICATION_JSON_VALUE)
    ModelsController.ModelSummary setDefault(@PathVariable String name, @RequestBody DefaultVersion body)
            throws IOException {
        if (body == null || body.version() == null) {
            throw new InvalidInputException("version", "Send {\"version\": N} with a loaded version number.");
        }
        registry.setDefault(name, body.version());
        return ModelsController.summary(registry, name);
    }

    @Operation(operationId = "deleteModelVersion", summary = "Delete a version; never the default or the last one")
    @DeleteMapping("/models/{name}/versions/{version}")
    ResponseEntity<Void> delete(@PathVariable String name, @PathVariable int version) throws IOException {
        registry.delete(name, version);
        return ResponseEntity.noContent().build();
    }

    @Operation(operationId = "modelReady", summary = "Whether the model's default version is loaded and warmed up")
    @ApiResponse(responseCode = "200", description = "Ready", content = @Content(schema = @Schema(implementation =
            Readiness.class)))
    @ApiResponse(responseCode = "503", description = "Not warmed up yet", content = @Content(schema = @Schema(
            implementation = Readiness.class)))
    @GetMapping("/models/{name}/ready")
    ResponseEntity<Readiness> ready(@PathVariable String name) {
        registry.defaultVersion(name); // 404 for a model that is not there
        ModelReadiness.State state = readiness.of(name);
        return ResponseEntity.status(state.ready() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .body(new Readiness(name, state.defaultVersion(), state.ready(), state.description()));
    }

    /** The body of {@code PUT /models/{name}/default}. */
    record DefaultVersion(Integer version) {
    }

    /** A model's readiness. */
    record Readiness(String name, Integer defaultVersion, boolean ready, String state) {
    }
}
