package io.github.dl4jserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.TestData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * kill -9 of the packaged jar in the middle of a small DCGAN job: after the restart the job goes on
 * from its last checkpoint and ends with the very metrics of the same job run without a break; then
 * {@code resumeFrom} continues the finished job for one more epoch at half the learning rate, and its sample
 * grids are served.
 */
class ResumableJobIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SMALL = "{\"model\": \"mnist-dcgan\", \"promote\": \"never\", \"hyperparameters\": "
            + "{\"epochs\": 2, \"batchSize\": 16, \"examples\": 64, \"seed\": 7, \"checkpointMinutes\": 0.01}}";

    @TempDir
    Path work;

    private static JsonNode job(HttpClient http, String base, String id) throws Exception {
        return json(http, base + "/jobs/" + id);
    }

    private static JsonNode json(HttpClient http, String url) throws Exception {
        return JSON.readTree(
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                        .body());
    }

    private static JsonNode awaitFinal(HttpClient http, String base, String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (true) {
            JsonNode job = job(http, base, id);
            String status = job.path("status").asString();
            if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED")) {
                return job;
            }
            assertThat(System.nanoTime()).as("job %s finishes: %s", id, job).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static Map<String, Double> metrics(JsonNode job) {
        Map<String, Double> m = new TreeMap<>();
        job.path("metrics")
                .properties()
                .forEach(e -> m.put(e.getKey(), e.getValue().asDouble()));
        m.remove("training_seconds");
        return m;
    }

    @Test
    void aKilledGanJobResumesFromItsCheckpointAndEndsAsIfUninterrupted() throws Exception {
        Path models = work.resolve("models");
        TestData.copyTree(
                Path.of("models", "mnist-dcgan", "3"),
                models.resolve("mnist-dcgan").resolve("3"));
        HttpClient http = HttpClient.newHttpClient();
        int port = PackagedJar.freePort();
        String base = "http://localhost:" + port;
        Process server = PackagedJar.start(models, port, work.resolve("server.log"));
        String id;
        try {
            assertThat(PackagedJar.awaitOk(http, base + "/models/mnist-dcgan/ready", server)
                            .statusCode())
                    .isEqualTo(200);
            id = PackagedJar.startJob(http, base, SMALL);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (job(http, base, id).path("iteration").asLong() < 6) {
                assertThat(System.nanoTime())
                        .as("the job reaches its second epoch")
                        .isLessThan(deadline);
                Thread.sleep(20);
            }
        } finally {
            server.destroyForcibly(); // SIGKILL in the middle of epoch 2
        }
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Path checkpoints = models.resolve(".jobs").resolve(id).resolve("checkpoints");
        assertThat(checkpoints).isDirectory();

        port = PackagedJar.freePort();
        base = "http://localhost:" + port;
        Process restarted = PackagedJar.start(models, port, work.resolve("restarted.log"));
        try {
            assertThat(PackagedJar.awaitOk(http, base + "/models/mnist-dcgan/ready", restarted)
                            .statusCode())
                    .isEqualTo(200);
            JsonNode resumed = awaitFinal(http, base, id);
            assertThat(resumed.path("status").asString()).as(resumed.toString()).isEqualTo("SUCCEEDED");
            assertThat(resumed.path("resultVersion").asInt()).isEqualTo(4);
            assertThat(resumed.path("history").size()).isEqualTo(2);
            assertThat(resumed.path("history").get(1).path("validation").has("inception_score"))
                    .isTrue();
            assertThat(Files.readString(work.resolve("restarted.log"))).contains("resumes from checkpoint-");

            String again = PackagedJar.startJob(http, base, SMALL);
            JsonNode uninterrupted = awaitFinal(http, base, again);
            assertThat(uninterrupted.path("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(metrics(resumed))
                    .as("the same seed with and without the kill")
                    .containsKeys("inception_score", "frechet_distance", "class_share_0")
                    .isEqualTo(metrics(uninterrupted));

            String more = PackagedJar.startJob(
                    http,
                    base,
                    "{\"resumeFrom\": \"" + id + "\", \"hyperparameters\": {\"epochs\": 3, \"learningRate\": 5e-5}}");
            JsonNode third = awaitFinal(http, base, more);
            assertThat(third.path("status").asString()).as(third.toString()).isEqualTo("SUCCEEDED");
            assertThat(third.path("model").asString()).isEqualTo("mnist-dcgan");
            assertThat(third.path("history").size()).isEqualTo(3);
            assertThat(third.path("metrics").path("iterations").asDouble()).isEqualTo(12.0);
            assertThat(third.path("hyperparameters").path("seed").asInt()).isEqualTo(7);
            assertThat(third.path("hyperparameters").path("learningRate").asDouble())
                    .isEqualTo(5e-5);
            JsonNode changes = json(
                            http,
                            base + "/models/mnist-dcgan/versions/"
                                    + third.path("resultVersion").asInt())
                    .path("provenance")
                    .path("hyperparameters")
                    .path("settingChanges");
            assertThat(changes.size())
                    .as("the rate change is recorded: %s", changes)
                    .isEqualTo(1);
            assertThat(changes.get(0).path("iteration").asInt())
                    .as("where the first job's 8 iterations ended")
                    .isEqualTo(8);
            assertThat(changes.get(0).path("learningRate").asDouble()).isEqualTo(5e-5);

            HttpResponse<byte[]> grid = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/jobs/" + more + "/samples/3"))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(grid.statusCode()).isEqualTo(200);
            assertThat(grid.headers().firstValue("Content-Type")).contains("image/png");
            HttpResponse<String> missing = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/jobs/" + more + "/samples/9"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("Content-Type")).contains("application/problem+json");

            HttpResponse<String> unknown = PackagedJar.postJson(http, base + "/jobs", "{\"resumeFrom\": \"nope\"}");
            assertThat(unknown.statusCode()).isEqualTo(422);
            assertThat(unknown.body()).contains("resumeFrom");
        } finally {
            PackagedJar.stop(restarted);
        }
    }
}
