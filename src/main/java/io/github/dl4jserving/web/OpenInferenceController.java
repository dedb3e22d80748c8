package io.github.dl4jserving.web;

import io.github.dl4jserving.inference.Answers;
import io.github.dl4jserving.inference.InferenceService;
import io.github.dl4jserving.inference.InvalidInputException;
import io.github.dl4jserving.inference.JsonValues;
import io.github.dl4jserving.inference.ModelReadiness;
import io.github.dl4jserving.inference.Protocol;
import io.github.dl4jserving.inference.TensorDatatype;
import io.github.dl4jserving.inference.TensorRequest;
import io.github.dl4jserving.platform.ChangesState;
import io.github.dl4jserving.platform.InferenceEndpoint;
import io.github.dl4jserving.platform.ProbeEndpoint;
import io.github.dl4jserving.platform.ReadEndpoint;
import io.github.dl4jserving.registry.ModelCatalog;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.VersionState;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The REST side of the Open Inference Protocol (KServe V2, Triton), so existing KServe and Triton
 * HTTP clients work unchanged. Tensors are row-major; FP32, FP64, INT32 and UINT8 inputs are
 * accepted, and a BYTES input of base64 images goes through the same preparation as /predict.
 * Errors use the protocol's own {@code {"error": "..."}} shape ({@link OpenInferenceErrors}).
 */
@RestController
@RequestMapping("/v2")
@Tag(name = "Open Inference Protocol", description = "KServe V2 / Triton REST endpoints")
class OpenInferenceController {
    static final String OUTPUT = Answers.TensorModel.OUTPUT;

    private final InferenceService inference;
    private final String version;
    private final ModelReadiness readiness;
    private final ModelCatalog catalog;

    OpenInferenceController(
            InferenceService inference,
            ModelReadiness readiness,
            ModelCatalog catalog,
            ObjectProvider<BuildProperties> build) {
        this.inference = inference;
        this.readiness = readiness;
        this.catalog = catalog;
        BuildProperties props = build.getIfAvailable();
        this.version = props != null ? props.getVersion() : "dev";
    }

    @Operation(operationId = "oipServerMetadata", summary = "Server metadata")
    @ReadEndpoint
    @GetMapping
    Map<String, Object> server() {
        return Map.of("name", "dl4j-serving", "version", version, "extensions", List.of());
    }

    @Operation(operationId = "oipLive", summary = "Server liveness")
    @ProbeEndpoint
    @GetMapping("/health/live")
    Map<String, Object> live() {
        return Map.of("live", true);
    }

    @Operation(operationId = "oipReady", summary = "Server readiness: every model's default version loaded and warm")
    @ProbeEndpoint
    @GetMapping("/health/ready")
    ResponseEntity<Map<String, Object>> ready() {
        boolean ready = readiness.serviceReady();
        return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .body(Map.of("ready", ready));
    }

    @Operation(operationId = "oipModelMetadata", summary = "Model metadata with input and output tensors")
    @ReadEndpoint
    @GetMapping({"/models/{model}", "/models/{model}/versions/{v}"})
    Map<String, Object> metadata(@PathVariable String model, @PathVariable(required = false) Integer v) {
        Answers.TensorModel m = inference.tensorModel(model, v);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", m.name());
        out.put("versions", m.versions().stream().map(x -> Integer.toString(x)).toList());
        out.put("platform", "deeplearning4j");
        out.put(
                "inputs",
                m.inputs().stream().map(OpenInferenceController::tensor).toList());
        out.put(
                "outputs",
                m.outputs().stream().map(OpenInferenceController::tensor).toList());
        return out;
    }

    @Operation(operationId = "oipModelReady", summary = "Model readiness")
    @ReadEndpoint
    @GetMapping({"/models/{model}/ready", "/models/{model}/versions/{v}/ready"})
    ResponseEntity<Map<String, Object>> modelReady(
            @PathVariable String model, @PathVariable(required = false) Integer v) {
        ModelDescriptor m = inference.describe(model, v); // 404 for an unknown model or version
        boolean ready = v != null
                ? readiness.versionReady(m.name(), m.version())
                : readiness.of(m.name()).ready();
        return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .body(Map.of("name", m.name(), "ready", ready));
    }

    @Operation(
            operationId = "oipRepositoryIndex",
            summary =
                    "The model repository (Triton's repository extension): every version with its state, "
                            + "READY when in memory, UNAVAILABLE with a reason when not; {\"ready\": true} lists the ready only")
    @ReadEndpoint
    @PostMapping("/repository/index")
    List<Map<String, Object>> repositoryIndex(@RequestBody(required = false) JsonNode body) {
        boolean readyOnly = body != null && body.path("ready").asBoolean(false);
        List<Map<String, Object>> index = new ArrayList<>();
        for (String name : catalog.names()) {
            for (VersionState v : catalog.listing(name)) {
                if (readyOnly && !v.loaded()) {
                    continue;
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", name);
                row.put("version", Integer.toString(v.descriptor().version()));
                row.put("state", v.loaded() ? "READY" : "UNAVAILABLE");
                if (!v.loaded()) {
                    row.put("reason", "unloaded: loads on its first request");
                }
                index.add(row);
            }
        }
        return index;
    }

    @Operation(
            operationId = "oipRepositoryLoad",
            summary = "Load a model's default version into memory (Triton's and KServe's repository extension)")
    @ChangesState
    @PostMapping("/repository/models/{model}/load")
    Map<String, Object> repositoryLoad(@PathVariable String model) {
        inference.load(model, null);
        return Map.of("name", model, "load", true);
    }

    @Operation(
            operationId = "oipRepositoryUnload",
            summary = "Unload every version of a model from memory (Triton's and KServe's repository extension); "
                    + "they load again on their next request")
    @ChangesState
    @PostMapping("/repository/models/{model}/unload")
    Map<String, Object> repositoryUnload(@PathVariable String model) throws IOException {
        catalog.unload(model, null);
        return Map.of("name", model, "unload", true);
    }

    @Operation(operationId = "oipInfer", summary = "Inference on one input tensor")
    @InferenceEndpoint
    @PostMapping({"/models/{model}/infer", "/models/{model}/versions/{v}/infer"})
    Map<String, Object> infer(
            @PathVariable String model,
            @PathVariable(required = false) Integer v,
            @RequestBody Map<String, Object> request) {
        // Resolved once: an unknown model or version is a 404 before any validation, and the version
        // resolved here is the one that runs, even if the default moves meanwhile.
        Answers.TensorModel m = inference.tensorModel(model, v);
        if (!(request.get("inputs") instanceof List<?> inputs)
                || inputs.size() != 1
                || !(inputs.get(0) instanceof Map<?, ?> input)) {
            throw new InvalidInputException("inputs", "'inputs' must hold exactly one tensor object.");
        }
        TensorDatatype datatype = TensorDatatype.of(String.valueOf(input.get("datatype")));
        List<Long> shape = shape(input.get("shape"));
        List<Object> data = new ArrayList<>();
        flattenInto(input.get("data"), data);
        TensorRequest.checkCount(data.size(), shape);
        int classification = classification(request.get("outputs"));
        TensorRequest tensor;
        if (datatype == TensorDatatype.BYTES) {
            List<byte[]> files = new ArrayList<>();
            for (Object o : data) {
                if (!(o instanceof String s)) {
                    throw new InvalidInputException("data", "BYTES elements must be base64 strings.");
                }
                files.add(JsonValues.base64(s, "data"));
            }
            tensor = TensorRequest.images(shape, files, classification);
        } else {
            float[] flat = new float[data.size()];
            for (int i = 0; i < flat.length; i++) {
                // A number is taken as it is; anything else gets JsonValues' message, naming the element.
                Object element = data.get(i);
                double value =
                        element instanceof Number n ? n.doubleValue() : JsonValues.number(element, "data[" + i + "]");
                flat[i] = datatype.element(value, i);
            }
            tensor = TensorRequest.numbers(datatype, shape, flat, classification);
        }
        Answers.TensorOutput result = inference.inferTensor(m.name(), m.version(), tensor, Protocol.HTTP);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("model_name", result.model());
        response.put("model_version", Integer.toString(result.version()));
        if (request.get("id") != null) {
            response.put("id", request.get("id"));
        }
        Map<String, Object> output = tensor(OUTPUT, result.datatype(), result.shape());
        output.put("data", result.classes() != null ? result.classes() : result.scores());
        response.put("outputs", List.of(output));
        return response;
    }

    /**
     * The Triton classification extension: {@code "outputs": [{"name": "output", "parameters":
     * {"classification": k}}]} asks for the top k classes per row instead of the raw scores.
     * Returns k, or 0 when the request wants the raw tensor.
     */
    private static int classification(Object requested) {
        if (requested == null) {
            return 0;
        }
        if (!(requested instanceof List<?> outputs) || outputs.size() > 1) {
            throw new InvalidInputException("outputs", "'outputs' must be an array of at most one tensor request.");
        }
        if (outputs.isEmpty()) {
            return 0;
        }
        if (!(outputs.get(0) instanceof Map<?, ?> output) || !OUTPUT.equals(output.get("name"))) {
            throw new InvalidInputException("outputs", "The only output tensor is named '" + OUTPUT + "'.");
        }
        Object parameters = output.get("parameters");
        if (parameters == null) {
            return 0;
        }
        if (!(parameters instanceof Map<?, ?> p)) {
            throw new InvalidInputException("outputs", "'parameters' must be an object.");
        }
        Object k = p.get("classification");
        if (k == null) {
            return 0;
        }
        if (!(k instanceof Integer n)) {
            throw new InvalidInputException(
                    "classification", "'classification' must be a positive integer, not " + k + ".");
        }
        return TensorRequest.classification(n);
    }

    private static Map<String, Object> tensor(Answers.TensorSpec spec) {
        return tensor(spec.name(), spec.datatype(), spec.shape());
    }

    private static Map<String, Object> tensor(String name, String datatype, List<Long> shape) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", name);
        t.put("datatype", datatype);
        t.put("shape", shape);
        return t;
    }

    private static List<Long> shape(Object value) {
        if (!(value instanceof List<?> list)) {
            throw new InvalidInputException("shape", "'shape' must be a non-empty array of dimensions.");
        }
        List<Long> dims = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Integer || o instanceof Long)) {
                throw new InvalidInputException(
                        "shape", "'shape' dimensions must be positive integers, not " + o + ".");
            }
            dims.add(((Number) o).longValue());
        }
        TensorRequest.elements(dims);
        return dims;
    }

    private static void flattenInto(Object value, List<Object> out) {
        if (value instanceof List<?> list) {
            for (Object o : list) {
                flattenInto(o, out);
            }
        } else {
            out.add(value);
        }
    }
}
