package io.github.dl4jserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.TestData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the packaged jar while a training job runs, while an uploaded version is being written,
 * and a version directory left half-written by a killed writer: after a restart the job is FAILED
 * ("interrupted"), the registry holds only complete versions, old leftovers are gone and the
 * previous default still serves.
 */
class CrashRecoveryIT {
    @TempDir
    Path work;

    private static String get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @Test
    void afterKillDashNineTheJobIsInterruptedAndOnlyCompleteVersionsServe() throws Exception {
        Path models = work.resolve("models");
        Path version1 = models.resolve("breast-cancer-logreg").resolve("1");
        TestData.copyTree(Path.of("models", "breast-cancer-logreg", "1"), version1);
        HttpClient http = HttpClient.newHttpClient();
        int port = PackagedJar.freePort();
        String base = "http://localhost:" + port;
        Process server = PackagedJar.start(models, port, work.resolve("server.log"));
        String id;
        try {
            assertThat(PackagedJar.awaitOk(http, base + "/models/breast-cancer-logreg/ready", server)
                            .statusCode())
                    .isEqualTo(200);
            id = PackagedJar.startLongJob(http, base);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!get(http, base + "/jobs/" + id).contains("\"epoch\":3")) {
                assertThat(System.nanoTime()).as("the job gets going").isLessThan(deadline);
                Thread.sleep(20);
            }
        } finally {
            server.destroyForcibly(); // SIGKILL: no shutdown hook, no chance to mark anything
        }
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(models.resolve(".jobs").resolve(id + ".json")))
                .contains("\"RUNNING\"");

        // What a writer killed in the middle of a version leaves: a temporary directory, half a zip.
        Path leftover =
                Files.createDirectories(models.resolve("breast-cancer-logreg").resolve(".tmp-killed-writer"));
        byte[] zip = Files.readAllBytes(version1.resolve("model.zip"));
        Files.write(leftover.resolve("model.zip"), Arrays.copyOf(zip, zip.length / 2));
        Files.setLastModifiedTime(leftover, FileTime.from(Instant.now().minusSeconds(3600)));

        port = PackagedJar.freePort();
        base = "http://localhost:" + port;
        Process restarted = PackagedJar.start(models, port, work.resolve("restarted.log"));
        try {
            assertThat(PackagedJar.awaitOk(http, base + "/models/breast-cancer-logreg/ready", restarted)
                            .statusCode())
                    .isEqualTo(200);
            String job = get(http, base + "/jobs/" + id);
            assertThat(job).contains("\"status\":\"FAILED\"").contains("\"error\":\"interrupted");
            assertThat(get(http, base + "/models/breast-cancer-logreg"))
                    .contains("\"defaultVersion\":1")
                    .contains("\"versions\":[{");
            try (Stream<Path> entries = Files.list(models.resolve("breast-cancer-logreg"))) {
                assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".last")))
                        .as("only the complete version; the leftover removed")
                        .containsExactly("1");
            }
            HttpResponse<String> predicted =
                    PackagedJar.postJson(http, base + "/predict", "{\"features\": [5, 1, 1, 1, 2, 1, 3, 1, 1]}");
            assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
            assertThat(predicted.body()).contains("\"version\":1");
        } finally {
            PackagedJar.stop(restarted);
        }
    }

    @Test
    void afterKillDashNineWhileAnUploadedVersionIsWrittenThePreviousDefaultServes() throws Exception {
        Path models = work.resolve("models");
        Path shipped = Path.of("models", "mnist-dcgan", "3");
        TestData.copyTree(shipped, models.resolve("mnist-dcgan").resolve("3"));
        HttpClient http = HttpClient.newHttpClient();
        int port = PackagedJar.freePort();
        String base = "http://localhost:" + port;
        Process server = PackagedJar.start(models, port, work.resolve("upload.log"));
        Path writing = null;
        try {
            assertThat(PackagedJar.awaitOk(http, base + "/models/mnist-dcgan/ready", server)
                            .statusCode())
                    .isEqualTo(200);
            // A 9 MB version: copied into a temporary directory, restored and run there, then renamed.
            var upload = http.sendAsync(
                    PackagedJar.modelUpload(base, "mnist-dcgan", shipped), HttpResponse.BodyHandlers.ofString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (writing == null && !upload.isDone()) {
                assertThat(System.nanoTime()).as("the upload starts writing").isLessThan(deadline);
                try (Stream<Path> entries = Files.list(models.resolve("mnist-dcgan"))) {
                    writing = entries.filter(p -> p.getFileName().toString().startsWith(".tmp-"))
                            .findFirst()
                            .orElse(null);
                }
            }
        } finally {
            server.destroyForcibly(); // SIGKILL in the middle of the write
        }
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(writing).as("killed while the version was being written").isNotNull();
        assertThat(writing).exists();

        port = PackagedJar.freePort();
        base = "http://localhost:" + port;
        Process restarted = PackagedJar.start(models, port, work.resolve("upload-restarted.log"));
        try {
            assertThat(PackagedJar.awaitOk(http, base + "/models/mnist-dcgan/ready", restarted)
                            .statusCode())
                    .isEqualTo(200);
            String model = get(http, base + "/models/mnist-dcgan");
            assertThat(model).contains("\"defaultVersion\":3").doesNotContain("\"version\":4");
            assertThat(get(http, base + "/actuator/health")).doesNotContain("\"unavailable\":[{");
            HttpResponse<String> generated =
                    PackagedJar.postJson(http, base + "/predict/mnist-dcgan", "{\"count\": 2, \"seed\": 7}");
            assertThat(generated.statusCode()).as(generated.body()).isEqualTo(200);
            // Uploaded again after the restart, the version gets the next number and serves.
            HttpResponse<String> again = http.send(
                    PackagedJar.modelUpload(base, "mnist-dcgan", shipped), HttpResponse.BodyHandlers.ofString());
            assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
            assertThat(again.body()).contains("\"version\":4");
        } finally {
            PackagedJar.stop(restarted);
        }
    }
}
