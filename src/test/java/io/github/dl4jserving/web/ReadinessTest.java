package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.TestData;
import io.github.dl4jserving.registry.ModelRegistry;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Readiness over a models directory of its own, which starts without the generator: not ready
 * while a model is missing or its newest version is corrupt, ready once the registry has loaded it.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "dl4j-serving.registry-rescan-interval=1h")
class ReadinessTest extends RunningServer {
    @TempDir
    static Path models;

    @DynamicPropertySource
    static void modelsDir(DynamicPropertyRegistry registry) throws IOException {
        copy("mnist-mlp");
        copy("breast-cancer-logreg");
        registry.add("dl4j-serving.models-dir", models::toString);
        // only the models copied above, not every shipped one
        registry.add("dl4j-serving.seed-models-dir", () -> "");
    }

    static void copy(String name) throws IOException {
        TestData.copyTree(TestData.MODELS_DIR.resolve(name), models.resolve(name));
    }

    @Autowired
    ModelRegistry registry;

    /**
     * The readiness details once the probe answers {@code status}: a new default warms up on the
     * inference module's own thread, a moment after the rescan that loaded it returns.
     */
    private JsonNode readiness(int status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        HttpResponse<byte[]> r = client.get("/actuator/health/readiness");
        while (r.statusCode() != status && System.nanoTime() < deadline) {
            sleep(50);
            r = client.get("/actuator/health/readiness");
        }
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(status);
        return HttpTestClient.json(r).get("components").get("modelsReady").get("details");
    }

    @Test
    void isNotReadyWhileAModelIsMissingOrCorruptAndReadyOnceLoaded() throws IOException {
        assertThat(readiness(503).get("mnist-dcgan").asString()).isEqualTo("missing");
        assertThat(client.get("/actuator/health/liveness").statusCode()).isEqualTo(200);

        copy("mnist-dcgan");
        assertThat(registry.refresh()).as("the shipped versions 3 to 6").isEqualTo(4);
        assertThat(readiness(200).get("mnist-dcgan").asString()).startsWith("ready");

        Path broken = models.resolve("mnist-mlp").resolve("99");
        Files.createDirectories(broken);
        Path shipped = models.resolve("mnist-mlp").resolve("1");
        byte[] zip = Files.readAllBytes(shipped.resolve("model.zip"));
        Files.write(broken.resolve("model.zip"), Arrays.copyOf(zip, zip.length / 3));
        Files.writeString(
                broken.resolve("model.json"),
                Files.readString(shipped.resolve("model.json")).replaceFirst("\"version\" : \\d+", "\"version\" : 99"));
        assertThat(registry.refresh()).isZero();
        assertThat(readiness(503).get("mnist-mlp").asString()).isEqualTo("default version failed to load");
        // The same answer from every readiness endpoint: the OIP server and model ones, and the model's own.
        assertThat(client.get("/v2/health/ready").statusCode()).isEqualTo(503);
        assertThat(client.get("/v2/models/mnist-mlp/ready").statusCode()).isEqualTo(503);
        assertThat(client.get("/v2/models/mnist-mlp/versions/1/ready").statusCode())
                .as("version 1 itself is warm")
                .isEqualTo(200);
        HttpResponse<byte[]> model = client.get("/models/mnist-mlp/ready");
        assertThat(model.statusCode()).isEqualTo(503);
        assertThat(HttpTestClient.json(model).get("state").asString()).isEqualTo("default version failed to load");
        assertThat(HttpTestClient.json(client.get("/actuator/health/readiness"))
                        .get("components")
                        .get("modelRegistry")
                        .get("details")
                        .get("unavailable")
                        .get(0)
                        .get("version")
                        .asInt())
                .isEqualTo(99);
        assertThat(client.postFiles("/predict", "image", List.of(ServingEndToEndTest.png(0)), "image/png")
                        .statusCode())
                .as("the older version still serves")
                .isEqualTo(200);

        Files.write(broken.resolve("model.zip"), zip);
        Files.setLastModifiedTime(broken.resolve("model.zip"), FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertThat(registry.refresh()).isEqualTo(1);
        assertThat(readiness(200).get("mnist-mlp").asString()).isEqualTo("ready (version 99)");
        assertThat(client.get("/v2/health/ready").statusCode()).isEqualTo(200);
        assertThat(client.get("/models/mnist-mlp/ready").statusCode()).isEqualTo(200);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
