package io.github.dl4jserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.TestData;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs after {@code package}: unpacks the built jar into layers exactly as the Dockerfile's build
 * stage does, assembles them as the runtime stage does, and starts the Dockerfile's ENTRYPOINT
 * with its ENV (paths moved to a temporary directory). Readiness must come UP and a PNG must be
 * classified. The image itself is only built where Docker exists (DockerImageTest).
 */
class DockerEntrypointIT {
    static final String APP_DIR = "/app/";

    @TempDir
    Path work;

    @Test
    void theEntrypointCommandLineServesTheShippedModels() throws Exception {
        Path jar = PackagedJar.path();
        Path extracted = work.resolve("extracted");
        run(
                        List.of(
                                PackagedJar.java(),
                                "-Djarmode=tools",
                                "-jar",
                                jar.toString(),
                                "extract",
                                "--layers",
                                "--application-filename",
                                "dl4j-serving.jar",
                                "--destination",
                                extracted.toString()),
                        null,
                        Map.of())
                .waitFor();
        Path app = work.resolve("app");
        for (String layer : List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")) {
            TestData.copyTree(extracted.resolve(layer), app);
        }
        int port = PackagedJar.freePort();
        Map<String, String> env = new HashMap<>(DeploymentFiles.runtimeEnv());
        // The shipped models where the image has them, and an empty volume they seed at start-up.
        Path seeds = Path.of(env.get("DL4J_SERVING_SEED_MODELS_DIR").replace(APP_DIR, app + "/"));
        TestData.copyTree(Path.of("models"), seeds);
        env.put("DL4J_SERVING_SEED_MODELS_DIR", seeds.toString());
        env.put(
                "DL4J_SERVING_MODELS_DIR",
                Files.createDirectories(work.resolve("models-volume")).toString());
        env.put("DL4J_SERVING_DATA_DIR", work.resolve("data").toString());
        env.put("SERVER_PORT", Integer.toString(port));
        List<String> command = new ArrayList<>();
        for (String arg : DeploymentFiles.entrypoint()) {
            command.add(arg.equals("java") ? PackagedJar.java() : arg.replace(APP_DIR, app + "/"));
        }

        Process server = run(command, app.toFile(), env);
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://localhost:" + port;
            HttpResponse<String> ready = PackagedJar.awaitOk(http, base + DeploymentFiles.healthcheckPath(), server);
            assertThat(ready).as("readiness answered").isNotNull();
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            HttpResponse<String> predict = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/predict"))
                            .header("Content-Type", "image/png")
                            .POST(HttpRequest.BodyPublishers.ofFile(Path.of("bench", "digit.png")))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(predict.statusCode()).isEqualTo(200);
            assertThat(predict.body()).contains("\"label\":\"7\"");
            HttpResponse<String> memory = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(memory.body()).as("JAVA_TOOL_OPTIONS took effect").contains("dl4j_nd4j_offheap_max_bytes");
            assertThat(memory.body()).as("the ENTRYPOINT's collector is in use").contains("id=\"Shenandoah\"");
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    private Process run(List<String> command, File dir, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(
                        work.resolve("process-" + System.nanoTime() + ".log").toFile());
        if (dir != null) {
            pb.directory(dir);
        }
        pb.environment().putAll(env);
        return PackagedJar.withOwnGrpcPort(pb).start();
    }
}
