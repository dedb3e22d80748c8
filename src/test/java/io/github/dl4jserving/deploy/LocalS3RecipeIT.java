package io.github.dl4jserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/scale-out.md's recipe for the S3 mode without Docker, run as written: its first block starts
 * s3proxy from the jar the build downloads and makes the bucket with curl; its second block's
 * variables start the packaged jar on that bucket. Only the port and the directory are changed, to a
 * free port and a temporary directory.
 */
class LocalS3RecipeIT {
    private static final String DOC_PORT = "9100";
    private static final String DOC_DIR = "/tmp/dl4j-s3";

    @TempDir
    Path tmp;

    @Test
    void theDocumentedS3ProxyRecipeServesAndStoresModelsInTheBucket() throws Exception {
        List<String> blocks = shBlocks(Files.readString(Path.of("docs", "scale-out.md")));
        String proxy = blocks.stream()
                .filter(b -> b.contains("s3proxy.jar --properties"))
                .findFirst()
                .orElseThrow();
        String service = blocks.stream()
                .filter(b -> b.contains("DL4J_SERVING_REGISTRY_STORE=s3") && b.contains("spring-boot:run"))
                .findFirst()
                .orElseThrow();
        String port = Integer.toString(PackagedJar.freePort());
        String dir = tmp.resolve("dl4j-s3").toString();
        String endpoint = "http://127.0.0.1:" + port;
        Path pidFile = Path.of(dir + ".pid");
        Process server = null;
        try {
            bash(proxy.replace(DOC_DIR, dir).replace(DOC_PORT, port), 180);
            assertThat(Path.of(dir, "dl4j-models")).as("the bucket curl made").isDirectory();

            ProcessBuilder jar = new ProcessBuilder(
                            PackagedJar.java(),
                            "-jar",
                            PackagedJar.path().toString(),
                            "--server.port=" + PackagedJar.freePort(),
                            "--dl4j-serving.models-dir=" + tmp.resolve("model-store"))
                    .redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("server.log").toFile());
            Matcher variable =
                    Pattern.compile("(\\w+)=(\\S+)").matcher(service.substring(0, service.indexOf("./mvnw")));
            int variables = 0;
            while (variable.find()) {
                jar.environment().put(variable.group(1), variable.group(2).replace(DOC_PORT, port));
                variables++;
            }
            assertThat(variables).as("the service block's variables").isEqualTo(5);
            jar.environment()
                    .put(
                            "DL4J_SERVING_DATA_DIR",
                            Path.of("..", "shared", "data").toAbsolutePath().toString());
            String base = "http://localhost:" + jar.command().get(3).substring("--server.port=".length());
            server = PackagedJar.withOwnGrpcPort(jar).start();
            HttpClient http = HttpClient.newHttpClient();
            var ready = PackagedJar.awaitOk(http, base + "/actuator/health/readiness", server);
            assertThat(ready).as(() -> log(tmp.resolve("server.log"))).isNotNull();
            assertThat(ready.statusCode()).isEqualTo(200);

            String bucket = get(http, endpoint + "/dl4j-models");
            assertThat(bucket)
                    .as("the shipped models, seeded into the bucket")
                    .contains("<Key>mnist-mlp/1/model.json</Key>", "<Key>breast-cancer-logreg/1/model.zip</Key>");

            HttpResponse<String> uploaded = http.send(
                    PackagedJar.modelUpload(
                            base, "breast-cancer-logreg", Path.of("models", "breast-cancer-logreg", "1")),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
            assertThat(get(http, endpoint + "/dl4j-models"))
                    .as("the uploaded version, in the bucket")
                    .contains("<Key>breast-cancer-logreg/2/model.json</Key>");
            assertThat(Path.of(dir, "dl4j-models", "breast-cancer-logreg", "2", "model.zip"))
                    .isRegularFile();
            assertThat(get(http, base + "/models/breast-cancer-logreg"))
                    .contains("\"defaultVersion\":2", "\"version\":2,");
        } finally {
            if (server != null) {
                PackagedJar.stop(server);
            }
            if (Files.exists(pidFile)) {
                bash("kill $(cat " + pidFile + ")", 30);
            }
        }
    }

    private static List<String> shBlocks(String markdown) {
        Matcher m = Pattern.compile("(?ms)^```sh\\n(.*?)^```$").matcher(markdown);
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /** Runs {@code script} with bash -e from the checkout's root; fails with its output if it fails. */
    private static void bash(String script, int timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder("bash", "-ec", script)
                .redirectErrorStream(true)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(timeoutSeconds, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as(script + "\n" + new String(out, StandardCharsets.UTF_8))
                .isZero();
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r =
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    private static String log(Path file) {
        try {
            return Files.readString(file);
        } catch (Exception e) {
            return e.toString();
        }
    }
}
