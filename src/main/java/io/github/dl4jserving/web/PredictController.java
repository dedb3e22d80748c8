package io.github.dl4jserving.web;

import io.github.dl4jserving.inference.Answers;
import io.github.dl4jserving.inference.ImageInput;
import io.github.dl4jserving.inference.InferenceService;
import io.github.dl4jserving.inference.InferenceSettings;
import io.github.dl4jserving.inference.InvalidInputException;
import io.github.dl4jserving.platform.InferenceEndpoint;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelKind;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code POST /predict} and {@code POST /predict/{model}} in every accepted form (multipart, raw
 * image, JSON, CSV), and {@code GET /generate} for a browser. Without a model in the path, images
 * go to the default image classifier, rows to the default tabular classifier and generator
 * requests to the default generator; {@code ?model=} or a {@code "model"} JSON field chooses
 * another.
 */
@RestController
@Tag(name = "Inference", description = "Classify digits and table rows, generate digits")
class PredictController {
    /**
     * The raw image bodies taken, one per format {@code DigitImages.FORMATS} names (BMP has two), the
     * same formats multipart and base64 inputs take; octet-stream for clients that send no type.
     */
    static final String[] RAW_IMAGE_TYPES = {
        MediaType.IMAGE_PNG_VALUE,
        MediaType.IMAGE_JPEG_VALUE,
        MediaType.IMAGE_GIF_VALUE,
        "image/bmp",
        "image/x-ms-bmp",
        "image/tiff",
        MediaType.APPLICATION_OCTET_STREAM_VALUE
    };

    private final InferenceService inference;
    private final InferenceSettings settings;

    PredictController(InferenceService inference, InferenceSettings settings) {
        this.inference = inference;
        this.settings = settings;
    }

    @InferenceEndpoint
    @PostMapping(
            path = {"/predict", "/predict/{model}"},
            consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Answers.Classification multipart(
            @PathVariable(required = false) String model,
            @RequestParam(name = "model", required = false) String modelParam,
            @RequestParam(required = false) Integer version,
            @Parameter(description = "how many labels to return, best first; 3 (or every label, if fewer) by default")
                    @RequestParam(required = false)
                    Integer k,
            @RequestPart(name = "image", required = false) List<MultipartFile> images)
            throws IOException {
        if (images == null || images.isEmpty()) {
            throw new InvalidInputException(
                    "image",
                    "The multipart body has no 'image' part. Send the file as "
                            + "-F image=@digit.png (curl) or files={\"image\": f} (Python requests).");
        }
        List<ImageInput> inputs = new ArrayList<>(images.size());
        for (MultipartFile image : images) {
            inputs.add(ImageInput.file(image.getBytes()));
        }
        return inference.classifyImages(imageModel(model, modelParam), version, inputs, k);
    }

    @Operation(
            operationId = "prepareImage",
            summary = "Show what an image classifier sees: the uploaded image after "
                    + "the MNIST-style preparation, as a 28x28 PNG (white ink on black)")
    @ApiResponse(
            responseCode = "200",
            description = "The prepared 28x28 digit",
            content =
                    @Content(
                            mediaType = MediaType.IMAGE_PNG_VALUE,
                            schema = @Schema(type = "string", format = "binary")))
    @InferenceEndpoint
    @PostMapping(
            path = "/prepare",
            consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = MediaType.IMAGE_PNG_VALUE)
    ResponseEntity<byte[]> prepare(@RequestPart(name = "image", required = false) MultipartFile image)
            throws IOException {
        if (image == null || image.isEmpty()) {
            throw new InvalidInputException(
                    "image", "The multipart body has no 'image' part. Send the file as " + "-F image=@digit.png.");
        }
        return ResponseEntity.ok()
                .contentType(MediaType.IMAGE_PNG)
                .body(Png.encode(inference.prepareImage(image.getBytes())));
    }

    @InferenceEndpoint
    @PostMapping(
            path = {"/predict", "/predict/{model}"},
            consumes = {
                MediaType.IMAGE_PNG_VALUE,
                MediaType.IMAGE_JPEG_VALUE,
                MediaType.IMAGE_GIF_VALUE,
                "image/bmp",
                "image/x-ms-bmp",
                "image/tiff",
                MediaType.APPLICATION_OCTET_STREAM_VALUE
            })
    Answers.Classification rawImage(
            @PathVariable(required = false) String model,
            @RequestParam(name = "model", required = false) String modelParam,
            @RequestParam(required = false) Integer version,
            @Parameter(description = "how many labels to return, best first; 3 (or every label, if fewer) by default")
                    @RequestParam(required = false)
                    Integer k,
            @RequestBody byte[] body) {
        return inference.classifyImages(imageModel(model, modelParam), version, List.of(ImageInput.file(body)), k);
    }

    @InferenceEndpoint
    @PostMapping(
            path = {"/predict", "/predict/{model}"},
            consumes = "text/csv")
    Object csv(
            @PathVariable(required = false) String model,
            @RequestParam(name = "model", required = false) String modelParam,
            @RequestParam(required = false) Integer version,
            @RequestParam(defaultValue = "0.5") double threshold,
            @RequestBody byte[] body) {
        // Resolved once: the version whose kind chose the route is the one that answers.
        ModelDescriptor target =
                inference.describe(firstNonNull(model, modelParam, settings.defaultTabularModel()), version);
        String text = new String(body, StandardCharsets.UTF_8);
        if (target.kind() == ModelKind.TABULAR_REGRESSOR) {
            return inference.regressCsv(target.name(), target.version(), text);
        }
        return inference.classifyCsv(target.name(), target.version(), text, threshold);
    }

    @InferenceEndpoint
    @PostMapping(
            path = {"/predict", "/predict/{model}"},
            consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> json(
            @PathVariable(required = false) String model,
            @RequestParam(name = "model", required = false) String modelParam,
            @RequestParam(required = false) Integer version,
            @Parameter(description = "how many labels to return, best first; 3 (or every label, if fewer) by default")
                    @RequestParam(required = false)
                    Integer k,
            @RequestParam(defaultValue = "0.5") double threshold,
            @Parameter(
                            description =
                                    "for a generator answered as a PNG grid (Accept: image/png): pixels per digit pixel, 1 to 8")
                    @RequestParam(defaultValue = "1")
                    int scale,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
            @RequestBody Object body) {
        if (accept != null && accept.contains(MediaType.IMAGE_PNG_VALUE)) {
            checkScale(scale);
        }
        Object answer = inference.predictJson(firstNonNull(model, modelParam), version, body, k, threshold);
        if (answer instanceof Answers.GeneratedDigits digits) {
            return accept != null && accept.contains(MediaType.IMAGE_PNG_VALUE) ? grid(digits, scale) : json(digits);
        }
        return ResponseEntity.ok(answer);
    }

    @Operation(
            operationId = "generateGrid",
            summary = "Draw generated digits as one PNG grid, for a browser",
            description = "The same seed gives the same digits; without one a seed is drawn and returned in X-Seed.")
    @ApiResponse(
            responseCode = "200",
            description = "A near-square grid of 28x28 digits",
            content =
                    @Content(
                            mediaType = MediaType.IMAGE_PNG_VALUE,
                            schema = @Schema(type = "string", format = "binary")))
    @InferenceEndpoint
    @GetMapping(path = "/generate", produces = MediaType.IMAGE_PNG_VALUE)
    ResponseEntity<byte[]> generateGrid(
            @Parameter(description = "the generator; mnist-dcgan by default")
                    @RequestParam(name = "model", required = false)
                    String model,
            @Parameter(description = "a version of the generator; the default version when absent")
                    @RequestParam(required = false)
                    Integer version,
            @Parameter(description = "how many digits, 1 to 256") @RequestParam(defaultValue = "16") int count,
            @Parameter(description = "the latent vectors' random seed") @RequestParam(required = false) Long seed,
            @Parameter(description = "pixels per digit pixel, 1 to 8: at 4 a 16-digit grid is 488 px square")
                    @RequestParam(defaultValue = "4")
                    int scale) {
        checkScale(scale); // before the digits are drawn: a refusal costs nothing
        long s = seed != null ? seed : ThreadLocalRandom.current().nextLong(1L << 31);
        Answers.GeneratedDigits digits =
                inference.generate(firstNonNull(model, settings.defaultGeneratorModel()), version, count, s);
        return grid(digits, scale);
    }

    private static void checkScale(int scale) {
        if (scale < 1 || scale > Png.MAX_SCALE) {
            throw new InvalidInputException(
                    "scale", "scale must be a whole number from 1 to " + Png.MAX_SCALE + ", not " + scale + ".");
        }
    }

    /** Generated digits as JSON: each a base64 PNG. */
    private static ResponseEntity<GeneratedResponse> json(Answers.GeneratedDigits digits) {
        List<String> pngs = digits.images().stream()
                .map(i -> Base64.getEncoder().encodeToString(Png.encode(i)))
                .toList();
        return ResponseEntity.ok(
                new GeneratedResponse(digits.model(), digits.version(), digits.seed(), pngs.size(), "image/png", pngs));
    }

    private static ResponseEntity<byte[]> grid(Answers.GeneratedDigits digits, int scale) {
        checkScale(scale);
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok()
                .contentType(MediaType.IMAGE_PNG)
                .header("X-Model", digits.model())
                .header("X-Model-Version", Integer.toString(digits.version()));
        if (digits.seed() != null) {
            ok.header("X-Seed", Long.toString(digits.seed()));
        }
        return ok.body(Png.encode(Png.grid(digits.images(), scale)));
    }

    private String imageModel(String model, String modelParam) {
        return firstNonNull(model, modelParam, settings.defaultImageModel());
    }

    private static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    /** Generated digits as base64 PNGs, each 28x28, white on black. */
    record GeneratedResponse(String model, int version, Long seed, int count, String mediaType, List<String> images) {}
}
