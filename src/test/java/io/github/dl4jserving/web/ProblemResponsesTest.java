package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * Every kind of bad request gets the right status as {@code application/problem+json} with a
 * detail that says what to fix; the body limit is lowered to 1 MB here so the 413 path is quick.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "dl4j-serving.max-body-size=1MB")
class ProblemResponsesTest extends RunningServer {

    private static JsonNode problem(HttpResponse<byte[]> response, int status) {
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(status);
        assertThat(HttpTestClient.contentType(response)).startsWith("application/problem+json");
        JsonNode body = HttpTestClient.json(response);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("detail").asString())
                .isNotBlank()
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
        return body;
    }

    @Test
    void unknownModelsAndVersionsAre404() {
        assertThat(problem(client.postJson("/predict/no-such-model", "{\"count\": 1}"), 404)
                        .get("detail")
                        .asString())
                .contains("no-such-model")
                .contains("mnist-mlp");
        problem(
                client.postFiles("/predict?version=999", "image", List.of(ServingEndToEndTest.png(0)), "image/png"),
                404);
        problem(client.get("/models/nope"), 404);
        problem(client.get("/models/mnist-mlp/versions/999"), 404);
        problem(client.get("/no/such/path"), 404);
    }

    @Test
    void bodiesOverTheLimitAre413() {
        byte[] big = new byte[1_500_000];
        new Random(7).nextBytes(big);

        assertThat(problem(client.post("/predict", "image/png", big), 413)
                        .get("detail")
                        .asString())
                .contains("dl4j-serving.max-body-size");
        problem(client.postFiles("/predict", "image", List.of(big), "image/png"), 413);
    }

    @Test
    void unsupportedMediaTypesAre415() {
        problem(client.post("/predict", "application/xml", "<digit/>".getBytes()), 415);
        problem(client.post("/predict", "image/webp", new byte[] {1, 2, 3}), 415);
        assertThat(problem(client.post("/predict/breast-cancer-logreg", "image/png", ServingEndToEndTest.png(0)), 415)
                        .get("detail")
                        .asString())
                .contains("is a tabular-classifier")
                .contains("to an image-classifier");
    }

    @Test
    void a415ForCurlsDefaultFormEncodingListsTheTypesThatAreAccepted() {
        // curl -d 'x=1' sends application/x-www-form-urlencoded
        HttpResponse<byte[]> form = client.post(
                "/predict", "application/x-www-form-urlencoded", "image=digit.png".getBytes(StandardCharsets.UTF_8));
        JsonNode body = problem(form, 415);
        assertThat(body.get("detail").asString())
                .contains("application/x-www-form-urlencoded")
                .contains("multipart/form-data")
                .contains("image/png")
                .contains("application/json")
                .contains("text/csv");
        List<String> accepted = new ArrayList<>();
        body.get("accepted").forEach(t -> accepted.add(t.asString()));
        assertThat(accepted).contains("multipart/form-data", "application/json", "text/csv", "image/png", "image/jpeg");
        assertThat(problem(
                                client.post(
                                        "/datasets?target=y", "application/x-www-form-urlencoded", "a=1".getBytes()),
                                415)
                        .get("accepted")
                        .toString())
                .contains("text/csv")
                .contains("application/zip");
    }

    @Test
    void unreadableImagesAre400() {
        byte[] png = ServingEndToEndTest.png(3);
        problem(client.post("/predict", "image/png", Arrays.copyOf(png, png.length / 2)), 400);
        problem(client.post("/predict", "image/jpeg", "definitely not a jpeg".getBytes()), 400);
        problem(client.post("/predict", "image/png", new byte[0]), 400);
        problem(client.postJson("/predict", "{\"image\": "), 400);
        assertThat(problem(
                                client.postFiles(
                                        "/predict",
                                        "image",
                                        List.of(ServingEndToEndTest.png(0), Arrays.copyOf(png, 20)),
                                        "image/png"),
                                400)
                        .get("detail")
                        .asString())
                .startsWith("Image 2 of 2:");
    }

    @Test
    void invalidValuesAre422AndNameTheField() {
        assertThat(problem(client.postJson("/predict", "{\"features\": {\"clump_thickness\": 5}}"), 422)
                        .get("field")
                        .asString())
                .isEqualTo("features.uniformity_cell_size");
        assertThat(problem(client.postJson("/predict", "{\"features\": [5, 1, 1, 1, 2, 11, 3, 1, 1]}"), 422)
                        .get("field")
                        .asString())
                .isEqualTo("features[5] (bare_nuclei)");
        assertThat(problem(client.postJson("/predict", "{\"features\": [5, 1, 1, 1, 2, \"NaN\", 3, 1, 1]}"), 422)
                        .get("detail")
                        .asString())
                .contains("must be a number");
        assertThat(problem(client.postJson("/predict", "{\"pixels\": [1, 2, 3]}"), 422)
                        .get("field")
                        .asString())
                .isEqualTo("pixels");
        assertThat(problem(client.postJson("/predict/mnist-dcgan", "{\"count\": 0}"), 422)
                        .get("field")
                        .asString())
                .isEqualTo("count");
        assertThat(problem(client.postJson("/predict/mnist-dcgan", "{\"count\": 100000}"), 422)
                        .get("field")
                        .asString())
                .isEqualTo("count");
        assertThat(problem(client.postJson("/predict/mnist-dcgan", "{\"z\": [[1, 2, 3]]}"), 422)
                        .get("field")
                        .asString())
                .isEqualTo("z[0]");
        assertThat(problem(client.postJson("/predict", "{\"image\": \"%%%not base64%%%\"}"), 422)
                        .get("field")
                        .asString())
                .isEqualTo("image");
        assertThat(problem(client.postJson("/predict", "{\"something\": 1}"), 422)
                        .get("detail")
                        .asString())
                .contains("Cannot tell");
        assertThat(problem(client.get("/generate?count=0"), 422).get("field").asString())
                .isEqualTo("count");
        assertThat(problem(client.postJson("/predict/mnist-dcgan", "{\"count\": -4}", "Accept", "image/png"), 422)
                        .get("field")
                        .asString())
                .isEqualTo("count");
        assertThat(problem(
                                client.postFiles(
                                        "/predict?k=11", "image", List.of(ServingEndToEndTest.png(0)), "image/png"),
                                422)
                        .get("field")
                        .asString())
                .isEqualTo("k");
        assertThat(problem(client.postFiles("/predict", "file", List.of(ServingEndToEndTest.png(0)), "image/png"), 422)
                        .get("field")
                        .asString())
                .isEqualTo("image");
        problem(client.post("/predict", "text/csv", "a,b\n1,2\n".getBytes()), 422);
    }

    @Test
    void aBlankImageIs422NotAGuess() {
        BufferedImage white = new BufferedImage(50, 50, BufferedImage.TYPE_BYTE_GRAY);
        white.getGraphics().fillRect(0, 0, 50, 50);

        assertThat(problem(client.post("/predict", "image/png", Png.encode(white)), 422)
                        .get("detail")
                        .asString())
                .contains("no visible ink");
    }

    @Test
    void requestsTomcatRefusesItselfAreProblemsToo() {
        problem(client.get("/predict/" + "x".repeat(10_000)), 400);
        problem(client.get("/predict/..%2F..%2Fetc%2Fpasswd"), 400);
    }

    @Test
    void badQueryParametersAre400() {
        assertThat(problem(
                                client.postFiles(
                                        "/predict?version=abc",
                                        "image",
                                        List.of(ServingEndToEndTest.png(0)),
                                        "image/png"),
                                400)
                        .get("field")
                        .asString())
                .isEqualTo("version");
    }
}
