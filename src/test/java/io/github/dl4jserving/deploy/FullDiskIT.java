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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar on a "disk" that refuses every file over 1 MiB ({@code ulimit -f}): a training
 * job's new version (2.6 MB), a model upload and a data set upload all fail with a clear reason,
 * nothing half-written stays, the old default keeps serving, and a restart without the limit finds
 * everything as it was.
 */
class FullDiskIT {
    private static final int LIMIT_KIB = 1024;

    @TempDir
    Path work;

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every file under {@code models} with its size: what "nothing else damaged" is checked against. */
    private static Map<String, Long> files(Path models) throws Exception {
        Map<String, Long> sizes = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(models)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String name = models.relativize(p).toString();
                if (!name.startsWith(".jobs/")) {
                    sizes.put(name, Files.size(p));
                }
            }
        }
        return sizes;
    }

    @Test
    void aFullDiskFailsTheWriteClearlyAndDamagesNothing() throws Exception {
        Path models = work.resolve("models");
        for (String model : new String[] {"mnist-mlp", "breast-cancer-logreg"}) {
            TestData.copyTree(
                    Path.of("models", model, "1"), models.resolve(model).resolve("1"));
        }
        Map<String, Long> before = files(models);
        HttpClient http = HttpClient.newHttpClient();
        int port = PackagedJar.freePort();
        String base = "http://localhost:" + port;
        Process server = PackagedJar.startWithFileSizeLimit(models, port, work.resolve("server.log"), LIMIT_KIB);
        String id;
        try {
            assertThat(PackagedJar.awaitOk(http, base + "/models/mnist-mlp/ready", server)
                            .statusCode())
                    .isEqualTo(200);

            // A training job: 500 images, one epoch, then a 2.6 MB model.zip that cannot be written.
            id = PackagedJar.startJob(
                    http,
                    base,
                    "{\"model\": \"mnist-mlp\", \"promote\": \"always\", "
                            + "\"hyperparameters\": {\"epochs\": 1, \"examples\": 500}}");
            String job = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (!job.contains("\"status\":\"FAILED\"") && !job.contains("\"status\":\"SUCCEEDED\"")) {
                assertThat(System.nanoTime()).as("the job ends: " + job).isLessThan(deadline);
                Thread.sleep(200);
                job = send(http, HttpRequest.newBuilder(URI.create(base + "/jobs/" + id)))
                        .body();
            }
            assertThat(job)
                    .contains("\"status\":\"FAILED\"")
                    .contains("Could not store a new version of 'mnist-mlp': File too large")
                    .doesNotContain(models.toString());

            // A model upload of the same size: refused with 507 and the reason.
            HttpResponse<String> upload = http.send(
                    PackagedJar.modelUpload(base, "mnist-mlp", Path.of("models", "mnist-mlp", "1")),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(507);
            assertThat(upload.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(upload.body()).contains("File too large").doesNotContain("/tmp");

            // A data set of 1.3 MB: refused the same way, not blamed on the data.
            StringBuilder csv = new StringBuilder(TestData.breastCancerCsv("diagnosis"));
            String rows = csv.substring(csv.indexOf("\n") + 1);
            while (csv.length() < 1_300_000) {
                csv.append(rows);
            }
            HttpResponse<String> dataset = send(
                    http,
                    HttpRequest.newBuilder(URI.create(base + "/datasets?target=diagnosis"))
                            .header("Content-Type", "text/csv")
                            .POST(HttpRequest.BodyPublishers.ofString(csv.toString())));
            assertThat(dataset.statusCode()).as(dataset.body()).isEqualTo(507);
            assertThat(dataset.body()).contains("Could not store the data set: File too large");

            // The old default still serves.
            HttpResponse<String> predicted =
                    PackagedJar.postJson(http, base + "/predict", "{\"features\": [5, 1, 1, 1, 2, 1, 3, 1, 1]}");
            assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
            assertThat(send(http, HttpRequest.newBuilder(URI.create(base + "/models/mnist-mlp")))
                            .body())
                    .contains("\"defaultVersion\":1");
        } finally {
            PackagedJar.stop(server);
        }

        Map<String, Long> after = files(models);
        after.keySet().removeIf(f -> f.endsWith("default-version") || f.endsWith(".last-version"));
        before.keySet().removeIf(f -> f.endsWith("default-version") || f.endsWith(".last-version"));
        assertThat(after)
                .as("no new, half-written or changed file under the models directory")
                .isEqualTo(before);

        // Restarted without the limit: both models serve their version 1, the job stays FAILED.
        int port2 = PackagedJar.freePort();
        String base2 = "http://localhost:" + port2;
        Process restarted = PackagedJar.start(models, port2, work.resolve("restarted.log"));
        try {
            assertThat(PackagedJar.awaitOk(http, base2 + "/models/mnist-mlp/ready", restarted)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(send(http, HttpRequest.newBuilder(URI.create(base2 + "/models/mnist-mlp")))
                            .body())
                    .contains("\"defaultVersion\":1")
                    .doesNotContain("\"version\":2");
            assertThat(send(http, HttpRequest.newBuilder(URI.create(base2 + "/jobs/" + id)))
                            .body())
                    .contains("\"status\":\"FAILED\"")
                    .contains("File too large");
            assertThat(send(http, HttpRequest.newBuilder(URI.create(base2 + "/actuator/health")))
                            .body())
                    .doesNotContain("\"unavailable\":[{");
        } finally {
            PackagedJar.stop(restarted);
        }
    }
}
