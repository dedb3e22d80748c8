package io.github.dl4jserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
        Path jar;
        try (Stream<Path> jars = Files.list(Path.of("target"))) {
            jar = jars.filter(p -> p.getFileName().toString().matches("dl4j-serving-.*\\.jar")).findFirst().orElseThrow();
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString(), "--server.port=" + port, "--dl4j-serving.models-dir=" + Path.of("models").toAbsolutePath())
                .redirectErrorStream(true).redirectOutput(work.resolve("server.log").toFile()).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://localhost:" + port;
            waitUntilReady(http, base, server);

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

    private static void waitUntilReady(HttpClient http, String base, Process server) throws Exception {
        for (int i = 0; i < 120 && server.isAlive(); i++) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health/readiness")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the server did not become ready");
    }
}
