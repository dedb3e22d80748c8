package io.github.dl4jserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.TestData;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Using the service never changes the checkout: the packaged jar, started with its default settings
 * in a git work tree holding the project's {@code .gitignore} and shipped {@code models/}, takes an
 * upload, a data set, a training job and a new default, and {@code git status} stays empty.
 */
class CleanCheckoutIT {
    @TempDir
    Path clone;

    @Test
    void uploadsJobsDataSetsAndPinsLeaveGitStatusEmpty() throws Exception {
        Files.copy(Path.of(".gitignore"), clone.resolve(".gitignore"));
        TestData.copyTree(Path.of("models"), clone.resolve("models"));
        git("init", "-q");
        git("add", ".");
        git("-c", "user.name=test", "-c", "user.email=test@example.org", "commit", "-q", "-m", "checkout");

        int port = PackagedJar.freePort();
        // Only what a user passes: the port, and the data directory (this machine has no internet).
        ProcessBuilder start = new ProcessBuilder(
                        PackagedJar.java(),
                        "-jar",
                        PackagedJar.path().toAbsolutePath().toString(),
                        "--server.port=" + port)
                .directory(clone.toFile())
                .redirectErrorStream(true)
                .redirectOutput(clone.resolve("..")
                        .resolve(clone.getFileName() + "-server.out")
                        .toFile());
        start.environment()
                .put("DL4J_SERVING_DATA_DIR", TestData.DATA_DIR.toAbsolutePath().toString());
        PackagedJar.withOwnGrpcPort(start);
        Process server = start.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://localhost:" + port;
            assertThat(PackagedJar.awaitOk(http, base + "/actuator/health/readiness", server)
                            .statusCode())
                    .as("ready with the shipped models, seeded into the store")
                    .isEqualTo(200);

            HttpResponse<String> upload = http.send(
                    PackagedJar.modelUpload(
                            base, "breast-cancer-logreg", Path.of("models", "breast-cancer-logreg", "1")),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);

            HttpResponse<String> dataset = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/datasets?target=class"))
                            .header("Content-Type", "text/csv")
                            .POST(HttpRequest.BodyPublishers.ofString(TestData.breastCancerCsv("class")))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(dataset.statusCode()).as(dataset.body()).isEqualTo(201);

            String id = PackagedJar.startJob(
                    http,
                    base,
                    "{\"model\": \"breast-cancer-logreg\", \"promote\": \"always\", "
                            + "\"hyperparameters\": {\"epochs\": 3}}");
            String status = "";
            for (int i = 0; i < 240 && !status.matches("SUCCEEDED|FAILED|CANCELLED"); i++) {
                Thread.sleep(500);
                status = http.send(
                                HttpRequest.newBuilder(URI.create(base + "/jobs/" + id))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body()
                        .replaceAll("(?s).*\"status\":\"([A-Z]+)\".*", "$1");
            }
            assertThat(status).isEqualTo("SUCCEEDED");

            HttpResponse<String> pin = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/models/breast-cancer-logreg/default"))
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString("{\"version\": 2}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(pin.statusCode()).as(pin.body()).isEqualTo(200);
        } finally {
            PackagedJar.stop(server);
        }

        assertThat(git("status", "--porcelain"))
                .as("git status after using the service")
                .isEmpty();
        Path store = clone.resolve("model-store").resolve("breast-cancer-logreg");
        assertThat(store.resolve("3").resolve("model.zip"))
                .as("the job's version, in the git-ignored store")
                .exists();
        assertThat(Files.readString(store.resolve("default-version")).trim()).isEqualTo("2");
        assertThat(clone.resolve("model-store").resolve(".jobs")).isDirectory();
    }

    private String git(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process git = new ProcessBuilder(command)
                .directory(clone.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(git.exitValue())
                .as("git " + String.join(" ", args) + ": " + out)
                .isZero();
        return out.strip();
    }
}
