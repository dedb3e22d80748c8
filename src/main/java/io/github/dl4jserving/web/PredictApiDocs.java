package io.github.dl4jserving.web;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BinarySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /predict} in the OpenAPI document: its request bodies, with examples that can be sent
 * as they are, its responses and its errors.
 */
final class PredictApiDocs {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private PredictApiDocs() {}

    /** Writes out {@code POST /predict}, or {@code POST /predict/{model}} when {@code named}. */
    static void describe(Operation op, boolean named) {
        op.setSummary(named ? "Predict with a named model" : "Predict with the default model for the input");
        op.setDescription((named
                        ? "Runs the model in the path."
                        : "Images go to the default image classifier "
                                + "(mnist-mlp), table rows and CSV to the default tabular classifier (breast-cancer-logreg), "
                                + "generator requests (count, seed, z) to the default generator (mnist-dcgan); ?model= or a "
                                + "\"model\" JSON field picks another.")
                + " Images may be any size and polarity: they are prepared like MNIST (grey, inverted if dark "
                + "on light, cropped, longest side 20 px, centred by mass in 28x28).");
        op.setOperationId(named ? "predictWithModel" : "predict");
        op.getParameters().removeIf(p -> p.getName().equals("Accept"));
        for (var p : op.getParameters()) {
            switch (p.getName()) {
                case "model" ->
                    p.setDescription(
                            p.getIn().equals("path")
                                    ? "the model to run"
                                    : "the model to run instead of the default for the input");
                case "version" -> p.setDescription("a version of the model; the default version when absent");
                case "k" -> p.setDescription("how many labels 'top' lists (image classifiers), 1 to 10");
                case "threshold" ->
                    p.setDescription("probability of the positive label from which it is "
                            + "predicted (tabular classifiers), 0 to 1");
                default -> {}
            }
        }
        ObjectSchema imageForm = new ObjectSchema();
        imageForm.addProperty("image", new BinarySchema().description("an image file; repeat the field for a batch"));
        imageForm.setRequired(List.of("image"));
        Content content = new Content()
                .addMediaType("multipart/form-data", new MediaType().schema(imageForm))
                .addMediaType(
                        "application/json",
                        new MediaType().schema(jsonRequestSchema()).examples(jsonExamples(named)))
                .addMediaType(
                        "text/csv",
                        new MediaType()
                                .schema(new StringSchema()
                                        .description("a header row of feature names, then one row per sample"))
                                .example(resource("tabular.csv")));
        for (String type : PredictController.RAW_IMAGE_TYPES) {
            content.addMediaType(type, new MediaType().schema(new BinarySchema().description("the image file")));
        }
        op.setRequestBody(new RequestBody()
                .required(true)
                .content(content)
                .description("One or more images, table rows, or a generator request"));
        Schema<?> answer = new Schema<>()
                .oneOf(List.of(
                        OpenApiConfiguration.ref("Classification"),
                        OpenApiConfiguration.ref("TabularClassification"),
                        OpenApiConfiguration.ref("GeneratedResponse")));
        op.setResponses(new ApiResponses()
                .addApiResponse(
                        "200",
                        new ApiResponse()
                                .description(
                                        "One prediction per input, in order; generated digits as base64 PNGs, or one PNG "
                                                + "grid with Accept: image/png")
                                .content(new Content()
                                        .addMediaType("application/json", new MediaType().schema(answer))
                                        .addMediaType("image/png", new MediaType().schema(new BinarySchema())))));
    }

    private static Schema<?> jsonRequestSchema() {
        Schema<?> number = new NumberSchema();
        return new ObjectSchema()
                .description("Exactly one form: image, pixels, features, instances, count/seed, z or interpolate")
                .addProperty("model", new StringSchema().description("the model to run, instead of the default"))
                .addProperty(
                        "image",
                        new StringSchema()
                                .description("a PNG/JPEG/GIF/BMP file, base64; a data: URL " + "prefix is accepted"))
                .addProperty(
                        "pixels",
                        new ArraySchema()
                                .items(number)
                                .description("784 grey levels 0-255 row by row, or 28 arrays of 28"))
                .addProperty(
                        "features",
                        new Schema<>()
                                .oneOf(List.of(
                                        new ObjectSchema()
                                                .additionalProperties(number)
                                                .description("feature name to value"),
                                        new ArraySchema()
                                                .items(number)
                                                .description("values in the model's feature order"))))
                .addProperty(
                        "instances",
                        new ArraySchema().items(new Schema<>()).description("a batch: items of any of the forms above"))
                .addProperty(
                        "count",
                        new IntegerSchema()
                                .minimum(BigDecimal.ONE)
                                .maximum(BigDecimal.valueOf(256))
                                .description("generator: how many digits"))
                .addProperty(
                        "seed",
                        new IntegerSchema()
                                .format("int64")
                                .description("generator: the same seed gives the same digits"))
                .addProperty(
                        "z",
                        new ArraySchema()
                                .items(new ArraySchema().items(number))
                                .description("generator: latent vectors of 100 numbers each"))
                .addProperty(
                        "interpolate",
                        new ObjectSchema()
                                .addProperty(
                                        "from",
                                        new Schema<>()
                                                .description(
                                                        "a seed (its first digit's latent vector) or a latent vector of 100 numbers"))
                                .addProperty("to", new Schema<>().description("a seed or a latent vector, as from"))
                                .addProperty(
                                        "steps",
                                        new IntegerSchema()
                                                .minimum(BigDecimal.valueOf(2))
                                                .description("frames, both ends included; default 8"))
                                .description("generator: a latent walk, the frames between two digits"));
    }

    private static Map<String, Example> jsonExamples(boolean named) {
        Map<String, Example> examples = new LinkedHashMap<>();
        if (named) {
            examples.put(
                    "generator-seed",
                    example("Generator (model mnist-dcgan): 16 digits from a seed", "generator-seed.json"));
            examples.put(
                    "generator-z",
                    example("Generator (model mnist-dcgan): explicit latent vectors", "generator-z.json"));
            examples.put(
                    "generator-interpolate",
                    example(
                            "Generator (model mnist-dcgan): a walk between seeds 3 and 8",
                            "generator-interpolate.json"));
        }
        examples.put("image-base64", example("A base64 PNG of a drawn 7", "image-base64.json"));
        examples.put("image-pixels", example("28x28 grey levels of the same 7", "image-pixels.json"));
        examples.put("image-batch", example("A batch of two base64 images", "image-batch.json"));
        examples.put("tabular-features", example("A breast-cancer row by feature name", "tabular-features.json"));
        examples.put("tabular-array", example("A breast-cancer row in feature order", "tabular-array.json"));
        examples.put("tabular-batch", example("Two breast-cancer rows", "tabular-batch.json"));
        return examples;
    }

    private static Example example(String summary, String file) {
        return new Example().summary(summary).value(JSON.readValue(resource(file), Object.class));
    }

    private static String resource(String name) {
        try (InputStream in = new ClassPathResource("openapi-examples/" + name).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
