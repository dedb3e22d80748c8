package io.github.dl4jserving.web;

import io.github.dl4jserving.inference.Answers;
import io.github.dl4jserving.inference.InferenceService;
import io.github.dl4jserving.inference.InvalidInputException;
import io.github.dl4jserving.inference.JsonValues;
import io.github.dl4jserving.inference.ModelReadiness;
import io.github.dl4jserving.platform.InferenceEndpoint;
import io.github.dl4jserving.platform.ProbeEndpoint;
import io.github.dl4jserving.platform.ReadEndpoint;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelKind;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
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
    static final String INPUT = "input";
    static final String IMAGE_INPUT = "image";
    static final String OUTPUT = "output";

    private final InferenceService inference;
    private final String version;
    private final ModelReadiness readiness;

    OpenInferenceController(
            InferenceService inference, ModelReadiness readiness, ObjectProvider<BuildProperties> build) {
        this.inference = inference;
        this.readiness = readiness;
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
        List<Map<String, Object>> inputs = new ArrayList<>();
        inputs.add(tensor(INPUT, "FP32", List.of(-1, m.inputWidth())));
        if (m.kind() == ModelKind.IMAGE_CLASSIFIER) {
            inputs.add(tensor(IMAGE_INPUT, "BYTES", List.of(-1)));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", m.name());
        out.put("versions", m.versions().stream().map(x -> Integer.toString(x)).toList());
        out.put("platform", "deeplearning4j");
        out.put("inputs", inputs);
        out.put("outputs", List.of(tensor(OUTPUT, "FP32", List.of(-1, m.outputWidth()))));
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
        String datatype = String.valueOf(input.get("datatype"));
        List<Integer> shape = shape(input.get("shape"));
        List<Object> data = new ArrayList<>();
        flattenInto(input.get("data"), data);
        long expected = shape.stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b);
        if (data.size() != expected) {
            throw new InvalidInputException(
                    "data", "'data' has " + data.size() + " elements but shape " + shape + " needs " + expected + ".");
        }
        float[] flat;
        int rows = shape.get(0);
        if (datatype.equals("BYTES")) {
            List<byte[]> files = new ArrayList<>();
            for (Object o : data) {
                if (!(o instanceof String s)) {
                    throw new InvalidInputException("data", "BYTES elements must be base64 strings.");
                }
                files.add(JsonValues.base64(s, "data"));
            }
            flat = inference.prepareImages(files);
            rows = files.size();
        } else {
            flat = numbers(data, datatype);
        }
        int classification = classification(request.get("outputs"));
        Answers.Tensor result = inference.infer(m.name(), m.version(), flat, rows);
        int width = result.rows().length == 0 ? 0 : result.rows()[0].length;
        float[] outData = new float[result.rows().length * width];
        for (int r = 0; r < result.rows().length; r++) {
            System.arraycopy(result.rows()[r], 0, outData, r * width, width);
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("model_name", result.model());
        response.put("model_version", Integer.toString(result.version()));
        if (request.get("id") != null) {
            response.put("id", request.get("id"));
        }
        Map<String, Object> output;
        if (classification > 0) {
            int k = Math.min(classification, width);
            output = tensor(OUTPUT, "BYTES", List.of(result.rows().length, k));
            output.put("data", result.topClasses(k));
        } else {
            output = tensor(OUTPUT, "FP32", List.of(result.rows().length, width));
            output.put("data", outData);
        }
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
        if (!(k instanceof Integer n) || n < 1) {
            throw new InvalidInputException(
                    "classification", "'classification' must be a positive integer, not " + k + ".");
        }
        return n;
    }

    private static Map<String, Object> tensor(String name, String datatype, List<Integer> shape) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", name);
        t.put("datatype", datatype);
        t.put("shape", shape);
        return t;
    }

    private static List<Integer> shape(Object value) {
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw new InvalidInputException("shape", "'shape' must be a non-empty array of dimensions.");
        }
        List<Integer> dims = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Integer d) || d < 1) {
                throw new InvalidInputException(
                        "shape", "'shape' dimensions must be positive integers, not " + o + ".");
            }
            dims.add(d);
        }
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

    private static float[] numbers(List<Object> data, String datatype) {
        double min;
        double max;
        boolean integral;
        switch (datatype) {
            case "FP32", "FP64" -> {
                min = -Double.MAX_VALUE;
                max = Double.MAX_VALUE;
                integral = false;
            }
            case "INT32" -> {
                min = Integer.MIN_VALUE;
                max = Integer.MAX_VALUE;
                integral = true;
            }
            case "UINT8" -> {
                min = 0;
                max = 255;
                integral = true;
            }
            default ->
                throw new InvalidInputException(
                        "datatype",
                        "Unsupported datatype '" + datatype
                                + "': use FP32, FP64, INT32, UINT8, or BYTES for encoded images.");
        }
        float[] flat = new float[data.size()];
        for (int i = 0; i < flat.length; i++) {
            double d = JsonValues.number(data.get(i), "data[" + i + "]");
            if (d < min || d > max || (integral && d != Math.rint(d))) {
                throw new InvalidInputException("data", "data[" + i + "] = " + d + " is not a valid " + datatype + ".");
            }
            flat[i] = JsonValues.toFloat(d, "data[" + i + "]");
        }
        return flat;
    }
}
