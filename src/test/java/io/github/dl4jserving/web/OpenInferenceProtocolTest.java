package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.TestData;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * The KServe V2 / Triton REST endpoints, with requests shaped like the protocol specification's
 * examples ({"id", "inputs": [{"name", "shape", "datatype", "data"}], "outputs": [{"name"}]}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenInferenceProtocolTest extends RunningServer {

    private static int argmax(JsonNode data, int offset, int width) {
        int best = 0;
        for (int i = 1; i < width; i++) {
            if (data.get(offset + i).asDouble() > data.get(offset + best).asDouble()) {
                best = i;
            }
        }
        return best;
    }

    @Test
    void servesServerHealthAndModelMetadata() {
        JsonNode server = HttpTestClient.json(client.get("/v2"));
        assertThat(server.get("name").asString()).isEqualTo("dl4j-serving");
        assertThat(server.has("version")).isTrue();
        assertThat(server.get("extensions").isArray()).isTrue();
        assertThat(client.get("/v2/health/live").statusCode()).isEqualTo(200);
        assertThat(client.get("/v2/health/ready").statusCode()).isEqualTo(200);

        JsonNode mlp = HttpTestClient.json(client.get("/v2/models/mnist-mlp"));
        assertThat(mlp.get("name").asString()).isEqualTo("mnist-mlp");
        assertThat(mlp.get("versions").get(0).asString()).isEqualTo("1");
        assertThat(mlp.get("inputs").get(0).get("datatype").asString()).isEqualTo("FP32");
        assertThat(mlp.get("inputs").get(0).get("shape").toString()).isEqualTo("[-1,784]");
        assertThat(mlp.get("inputs").get(1).get("datatype").asString()).isEqualTo("BYTES");
        assertThat(mlp.get("outputs").get(0).get("shape").toString()).isEqualTo("[-1,10]");
        assertThat(HttpTestClient.json(client.get("/v2/models/breast-cancer-logreg/versions/1"))
                        .get("inputs")
                        .get(0)
                        .get("shape")
                        .toString())
                .isEqualTo("[-1,9]");
        assertThat(client.get("/v2/models/mnist-dcgan/ready").statusCode()).isEqualTo(200);
        assertThat(client.get("/v2/models/mnist-dcgan/versions/6/ready").statusCode())
                .isEqualTo(200);
    }

    @Test
    void infersRowMajorTensorsAndEchoesTheId() {
        HttpResponse<byte[]> r = client.postJson(
                "/v2/models/breast-cancer-logreg/infer",
                "{\"id\": \"42\", "
                        + "\"inputs\": [{\"name\": \"input\", \"shape\": [2, 9], \"datatype\": \"FP32\", "
                        + "\"data\": [5, 1, 1, 1, 2, 1, 3, 1, 1, 8, 10, 10, 8, 7, 10, 9, 7, 1]}], "
                        + "\"outputs\": [{\"name\": \"output\"}]}");

        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        JsonNode body = HttpTestClient.json(r);
        assertThat(body.get("id").asString()).isEqualTo("42");
        assertThat(body.get("model_name").asString()).isEqualTo("breast-cancer-logreg");
        assertThat(body.get("model_version").asString()).isEqualTo("1");
        JsonNode out = body.get("outputs").get(0);
        assertThat(out.get("datatype").asString()).isEqualTo("FP32");
        assertThat(out.get("shape").toString()).isEqualTo("[2,1]");
        assertThat(out.get("data").get(0).asDouble()).isLessThan(0.1);
        assertThat(out.get("data").get(1).asDouble()).isGreaterThan(0.9);
    }

    @Test
    void acceptsUint8PixelsAndBase64ImagesForTheDigitClassifier() {
        byte[] px = TestData.mnistTestImages().pixels()[0];
        String pixels = IntStream.range(0, 784)
                .mapToObj(i -> Integer.toString(px[i] & 0xFF))
                .collect(Collectors.joining(","));
        // Raw tensors go to the network as they are: UINT8 0-255 is not what it was trained on, so
        // send the same pixels scaled as FP32 too and check that one.
        String scaled = IntStream.range(0, 784)
                .mapToObj(i -> Float.toString((px[i] & 0xFF) / 255f))
                .collect(Collectors.joining(","));
        HttpResponse<byte[]> uint8 = client.postJson(
                "/v2/models/mnist-mlp/infer",
                "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 784], \"datatype\": \"UINT8\", \"data\": [" + pixels
                        + "]}]}");
        HttpResponse<byte[]> fp32 = client.postJson(
                "/v2/models/mnist-mlp/versions/1/infer",
                "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 784], \"datatype\": \"FP32\", \"data\": [" + scaled
                        + "]}]}");
        String b64 = Base64.getEncoder().encodeToString(ServingEndToEndTest.png(0));
        HttpResponse<byte[]> bytes = client.postJson(
                "/v2/models/mnist-mlp/infer",
                "{\"inputs\": [{\"name\": \"image\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"" + b64
                        + "\"]}]}");

        assertThat(uint8.statusCode()).isEqualTo(200);
        assertThat(HttpTestClient.json(uint8).get("outputs").get(0).get("shape").toString())
                .isEqualTo("[1,10]");
        int expected = TestData.mnistTestLabels()[0];
        assertThat(argmax(HttpTestClient.json(fp32).get("outputs").get(0).get("data"), 0, 10))
                .isEqualTo(expected);
        assertThat(argmax(HttpTestClient.json(bytes).get("outputs").get(0).get("data"), 0, 10))
                .isEqualTo(expected);
    }

    @Test
    void theClassificationParameterAnswersTheTopKClassesAsTritonDoes() {
        String b64 = Base64.getEncoder().encodeToString(ServingEndToEndTest.png(0));
        String b64b = Base64.getEncoder().encodeToString(ServingEndToEndTest.png(1));
        HttpResponse<byte[]> r = client.postJson(
                "/v2/models/mnist-mlp/infer",
                "{\"inputs\": [{\"name\": \"image\", \"shape\": [2], \"datatype\": \"BYTES\", \"data\": [\"" + b64
                        + "\", \"" + b64b
                        + "\"]}], \"outputs\": [{\"name\": \"output\", \"parameters\": {\"classification\": 3}}]}");

        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        JsonNode out = HttpTestClient.json(r).get("outputs").get(0);
        assertThat(out.get("datatype").asString()).isEqualTo("BYTES");
        assertThat(out.get("shape").toString()).isEqualTo("[2,3]");
        for (int row = 0; row < 2; row++) {
            String[] best = out.get("data").get(row * 3).asString().split(":");
            String[] third = out.get("data").get(row * 3 + 2).asString().split(":");
            int label = TestData.mnistTestLabels()[row];
            assertThat(best).as("score:index:label").hasSize(3);
            assertThat(best[1]).isEqualTo(Integer.toString(label));
            assertThat(best[2]).isEqualTo(Integer.toString(label));
            assertThat(Double.parseDouble(best[0])).isGreaterThan(Double.parseDouble(third[0]));
        }

        HttpResponse<byte[]> zero = client.postJson(
                "/v2/models/mnist-mlp/infer",
                "{\"inputs\": [{\"name\": \"image\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"" + b64
                        + "\"]}], \"outputs\": [{\"name\": \"output\", \"parameters\": {\"classification\": 0}}]}");
        assertThat(zero.statusCode()).isEqualTo(400);
        assertThat(HttpTestClient.json(zero).get("error").asString()).contains("classification");
    }

    @Test
    void answersErrorsInTheProtocolsShape() {
        for (var r : List.of(
                client.postJson("/v2/models/nope/infer", "{\"inputs\": []}"),
                client.postJson(
                        "/v2/models/breast-cancer-logreg/infer",
                        "{\"inputs\": [{\"name\": \"input\", "
                                + "\"shape\": [1, 8], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4, 5, 6, 7, 8]}]}"),
                client.postJson(
                        "/v2/models/breast-cancer-logreg/infer",
                        "{\"inputs\": [{\"name\": \"input\", "
                                + "\"shape\": [1, 9], \"datatype\": \"BOOL\", \"data\": [1, 2, 3, 4, 5, 6, 7, 8, 9]}]}"),
                client.postJson(
                        "/v2/models/breast-cancer-logreg/infer",
                        "{\"inputs\": [{\"name\": \"input\", "
                                + "\"shape\": [1, 9], \"datatype\": \"FP32\", \"data\": [1, 2]}]}"),
                client.postJson("/v2/models/breast-cancer-logreg/infer", "{not json"))) {
            assertThat(r.statusCode()).as(new String(r.body())).isIn(400, 404);
            assertThat(HttpTestClient.json(r).get("error").asString()).isNotBlank();
        }
        assertThat(client.postJson("/v2/models/nope/infer", "{\"inputs\": []}").statusCode())
                .isEqualTo(404);
    }
}
