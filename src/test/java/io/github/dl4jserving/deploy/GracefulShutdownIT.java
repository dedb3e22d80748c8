package io.github.dl4jserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;

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
 * request finish with 200 before the process exits.
 */
class GracefulShutdownIT {
    @TempDir
    Path work;

    @Test
    void aRequestInFlightAtSigtermStillCompletes() throws Exception {
        Path jar = PackagedJar.path();
        int port = PackagedJar.freePort();
        Process server = new ProcessBuilder(PackagedJar.java(), "-jar", jar.toString(), "--server.port=" + port, "--dl4j-serving.models-dir=" + Path.of("models").toAbsolutePath())
                .redirectErrorStream(true).redirectOutput(work.resolve("server.log").toFile()).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://localhost:" + port;
            HttpResponse<String> ready = PackagedJar.awaitOk(http, base + "/actuator/health/readiness", server);
            assertThat(ready).as("the server became ready").isNotNull();
            assertThat(ready.statusCode()).isEqualTo(200);

            // 256 generated digits take on the order of a second on 2 cores.
            CompletableFuture<HttpResponse<String>> slow = http.sendAsync(HttpRequest.newBuilder(
                    URI.create(base + "/predict/mnist-dcgan")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"count\": 256, \"seed\": 1}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(300);
            server.destroy(); // SIGTERM

            HttpResponse<String> response = slow.get(60, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).contains("\"count\":256");
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("the process exits").isTrue();
            assertThat(Files.readString(work.resolve("server.log"))).contains("Graceful shutdown complete");
        } finally {
            server.destroyForcibly();
        }
    }
}
