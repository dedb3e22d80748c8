package io.github.dl4jserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.TestData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as a child process: a SIGTERM that arrives while a slow request runs lets the
 * request finish with 200 before the process exits, and a training job running at SIGTERM is
 * stopped and recorded as interrupted, writing no version.
 */
class GracefulShutdownIT {
    @TempDir
    Path work;

    @Test
    void aRequestInFlightAtSigtermStillCompletes() throws Exception {
        int port = PackagedJar.freePort();
        Path models = work.resolve("models");
        TestData.copyTree(Path.of("models"), models);
        Process server = PackagedJar.start(models, port, work.resolve("server.log"));
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://localhost:" + port;
            HttpResponse<String> ready = PackagedJar.awaitOk(http, base + "/actuator/health/readiness", server);
            assertThat(ready).as("the server became ready").isNotNull();
            assertThat(ready.statusCode()).isEqualTo(200);

            // 256 generated digits take on the order of a second on 2 cores.
            CompletableFuture<HttpResponse<String>> slow = http.sendAsync(
                    HttpRequest.newBuilder(URI.create(base + "/predict/mnist-dcgan"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"count\": 256, \"seed\": 1}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(300);
            server.destroy(); // SIGTERM

            HttpResponse<String> response = slow.get(60, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).contains("\"count\":256");
            assertThat(server.waitFor(60, TimeUnit.SECONDS))
                    .as("the process exits")
                    .isTrue();
            assertThat(Files.readString(work.resolve("server.log"))).contains("Graceful shutdown complete");
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void aTrainingJobRunningAtSigtermIsStoppedAndMarkedInterrupted() throws Exception {
        Path models = work.resolve("models");
        TestData.copyTree(
                Path.of("models", "breast-cancer-logreg", "1"),
                models.resolve("breast-cancer-logreg").resolve("1"));
        int port = PackagedJar.freePort();
        Process server = PackagedJar.start(models, port, work.resolve("server.log"));
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://localhost:" + port;
            // Readiness waits for the configured default models, which this directory lacks.
            assertThat(PackagedJar.awaitOk(http, base + "/models/breast-cancer-logreg/ready", server)
                            .statusCode())
                    .isEqualTo(200);
            String id = PackagedJar.startLongJob(http, base);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!http.send(
                            HttpRequest.newBuilder(URI.create(base + "/jobs/" + id))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body()
                    .contains("\"status\":\"RUNNING\"")) {
                assertThat(System.nanoTime()).as("the job starts").isLessThan(deadline);
                Thread.sleep(50);
            }
            server.destroy(); // SIGTERM

            assertThat(server.waitFor(60, TimeUnit.SECONDS))
                    .as("the process exits")
                    .isTrue();
            String record = Files.readString(models.resolve(".jobs").resolve(id + ".json"));
            assertThat(record).contains("\"status\" : \"FAILED\"").contains("interrupted: the service shut down");
            try (var versions = Files.list(models.resolve("breast-cancer-logreg"))) {
                assertThat(versions.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".last")))
                        .as("no new version, nothing half-written")
                        .containsExactly("1");
            }
        } finally {
            server.destroyForcibly();
        }
    }
}
