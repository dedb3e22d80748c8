package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The management API over a models directory of its own, with the logistic regression only. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "dl4j-serving.registry-rescan-interval=1h")
class ModelLifecycleTest extends RunningServer {
    static final String NAME = "breast-cancer-logreg";

    @TempDir
    static Path models;

    @DynamicPropertySource
    static void modelsDir(DynamicPropertyRegistry registry) throws IOException {
        TestData.copyTree(TestData.MODELS_DIR.resolve(NAME), models.resolve(NAME));
        registry.add("dl4j-serving.models-dir", models::toString);
        // only the models copied above, not every shipped one
        registry.add("dl4j-serving.seed-models-dir", () -> "");
    }

    private static byte[] shipped(String file) throws IOException {
        return Files.readAllBytes(TestData.MODELS_DIR.resolve(NAME).resolve("1").resolve(file));
    }

    private HttpResponse<byte[]> upload(String name, byte[] zip, String descriptor) {
        String boundary = "----up" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            body.write(
                    ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"; filename=\"model.zip\"\r\n"
                                    + "Content-Type: application/zip\r\n\r\n")
                            .getBytes(StandardCharsets.UTF_8));
            body.write(zip);
            body.write(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"descriptor\"\r\n"
                            + "Content-Type: application/json\r\n\r\n" + descriptor + "\r\n--" + boundary + "--\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return client.post(
                "/models/" + name + "/versions", "multipart/form-data; boundary=" + boundary, body.toByteArray());
    }

    private List<String> onDisk() throws IOException {
        try (Stream<Path> entries = Files.list(models.resolve(NAME))) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".last"))
                    .sorted()
                    .toList();
        }
    }

    private int version(HttpResponse<byte[]> predict) {
        assertThat(predict.statusCode()).as(new String(predict.body())).isEqualTo(200);
        return HttpTestClient.json(predict).get("version").asInt();
    }

    /** The Prometheus lines of this model that hold {@code tag}. */
    private List<String> prometheusLines(String tag) {
        return new String(client.get("/actuator/prometheus").body(), StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.startsWith("dl4j_") && l.contains("model=\"" + NAME + "\"") && l.contains(tag))
                .toList();
    }

    @Test
    void uploadsSwitchesDeletesAndRefusesBadUploadsWithoutLeavingFiles() throws Exception {
        byte[] zip = shipped("model.zip");
        String descriptor =
                new String(shipped("model.json"), StandardCharsets.UTF_8).replaceFirst("\"version\" : \\d+,", "");

        HttpResponse<byte[]> created = upload(NAME, zip, descriptor);
        assertThat(created.statusCode()).as(new String(created.body())).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/models/" + NAME + "/versions/2");
        assertThat(onDisk()).containsExactly("1", "2");
        assertThat(version(client.postJson("/predict", ServingEndToEndTest.BENIGN_ROW)))
                .isEqualTo(2);
        assertThat(client.get("/models/" + NAME + "/ready").statusCode()).isEqualTo(200);

        // Bad uploads: each a 4xx problem, and nothing new on disk.
        assertThat(upload(NAME, Arrays.copyOf(zip, zip.length / 2), descriptor).statusCode())
                .isEqualTo(422);
        assertThat(upload(NAME, zip, "{\"kind\": \"tabular-classifier\", ").statusCode())
                .isEqualTo(422);
        String wrongShape = descriptor.replace("\"tabular-classifier\"", "\"image-classifier\"");
        assertThat(upload(NAME, zip, wrongShape).statusCode()).isEqualTo(422);
        assertThat(upload("Bad_Name!", zip, descriptor).statusCode()).isEqualTo(422);
        assertThat(upload("mnist-mlp", zip, descriptor).statusCode())
                .as("name mismatch")
                .isEqualTo(422);
        // Names a web page shows must be plain text: no markup in labels, features or metric names.
        HttpResponse<byte[]> markupLabel =
                upload(NAME, zip, descriptor.replace("\"malignant\"", "\"<img src=x onerror=alert(1)>\""));
        assertThat(markupLabel.statusCode()).isEqualTo(422);
        assertThat(HttpTestClient.json(markupLabel).get("field").asString()).isEqualTo("labels");
        assertThat(upload(NAME, zip, descriptor.replace("\"mitoses\"", "\"mitoses\\\"><script>\""))
                        .statusCode())
                .isEqualTo(422);
        assertThat(upload(NAME, zip, descriptor.replace("\"test_accuracy\"", "\"test_<b>accuracy</b>\""))
                        .statusCode())
                .isEqualTo(422);
        assertThat(onDisk()).containsExactly("1", "2");

        // The default can be pinned; the default and the last version cannot be deleted.
        assertThat(client.put("/models/" + NAME + "/default", "{\"version\": 1}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(version(client.postJson("/predict", ServingEndToEndTest.BENIGN_ROW)))
                .isEqualTo(1);
        assertThat(client.put("/models/" + NAME + "/default", "{\"version\": 9}")
                        .statusCode())
                .isEqualTo(404);
        assertThat(client.delete("/models/" + NAME + "/versions/1").statusCode())
                .isEqualTo(409);
        assertThat(prometheusLines("version=\"2\""))
                .as("version 2 served requests")
                .isNotEmpty();
        assertThat(client.delete("/models/" + NAME + "/versions/2").statusCode())
                .isEqualTo(204);
        assertThat(onDisk()).containsExactly("1", "default-version");
        assertThat(prometheusLines("version=\"2\""))
                .as("a deleted version's meters are removed")
                .isEmpty();
        assertThat(prometheusLines("version=\"1\"")).isNotEmpty();
        assertThat(client.postJson("/predict?version=2", ServingEndToEndTest.BENIGN_ROW)
                        .statusCode())
                .isEqualTo(404);
        HttpResponse<byte[]> again = upload(NAME, zip, descriptor);
        assertThat(again.headers().firstValue("Location"))
                .as("deleted numbers are not reused")
                .hasValue("/models/" + NAME + "/versions/3");
        assertThat(client.delete("/models/" + NAME + "/versions/3").statusCode())
                .isEqualTo(204);

        assertThat(client.delete("/models/" + NAME + "/versions/1").statusCode())
                .as("the last version")
                .isEqualTo(409);
        assertThat(HttpTestClient.json(client.delete("/models/" + NAME))
                        .get("detail")
                        .asString())
                .as("one of the service's default models")
                .contains("dl4j-serving.default-tabular-model");

        // Any other model can be deleted whole, with its last version; its numbers stay taken.
        String copy = "lifecycle-copy";
        String copyDescriptor = descriptor.replace("\"name\" : \"" + NAME + "\"", "\"name\" : \"" + copy + "\"");
        assertThat(upload(copy, zip, copyDescriptor).statusCode()).isEqualTo(201);
        assertThat(upload(copy, zip, copyDescriptor).statusCode()).isEqualTo(201);
        assertThat(client.delete("/models/" + copy).statusCode()).isEqualTo(204);
        assertThat(client.get("/models/" + copy).statusCode()).isEqualTo(404);
        assertThat(client.delete("/models/" + copy).statusCode()).isEqualTo(404);
        assertThat(client.postJson("/predict/" + copy, ServingEndToEndTest.BENIGN_ROW)
                        .statusCode())
                .isEqualTo(404);
        assertThat(upload(copy, zip, copyDescriptor).headers().firstValue("Location"))
                .hasValue("/models/" + copy + "/versions/3");
    }

    @Test
    void switchingTheDefaultUnderLoadDropsNoRequest() throws Exception {
        // the version serving now: the shipped one, or the last upload if the other test ran first
        int first = HttpTestClient.json(client.get("/models/" + NAME))
                .get("defaultVersion")
                .asInt();
        HttpResponse<byte[]> created = upload(
                NAME,
                shipped("model.zip"),
                new String(shipped("model.json"), StandardCharsets.UTF_8).replaceFirst("\"version\" : \\d+,", ""));
        assertThat(created.statusCode()).isEqualTo(201);
        int added = HttpTestClient.json(created).get("version").asInt();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService load = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            load.submit(() -> {
                while (running.get()) {
                    int status = client.postJson("/predict", ServingEndToEndTest.BENIGN_ROW)
                            .statusCode();
                    (status == 200 ? ok : failed).incrementAndGet();
                }
            });
        }
        for (int i = 0; i < 20; i++) {
            int target = i % 2 == 0 ? first : added;
            assertThat(client.put("/models/" + NAME + "/default", "{\"version\": " + target + "}")
                            .statusCode())
                    .isEqualTo(200);
            Thread.sleep(50);
        }
        running.set(false);
        load.shutdown();
        assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        System.out.printf(
                "default switched 20 times under load: %d requests succeeded, %d failed%n", ok.get(), failed.get());
        assertThat(failed).hasValue(0);
        assertThat(ok.get()).isGreaterThan(100);
        JsonNode model = HttpTestClient.json(client.get("/models/" + NAME));
        assertThat(model.get("defaultVersion").asInt()).isEqualTo(added);
    }
}
