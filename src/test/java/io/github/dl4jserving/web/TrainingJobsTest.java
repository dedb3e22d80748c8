package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.Dl4jServingApplication;
import io.github.dl4jserving.TestData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Training jobs against the real server over a models directory of its own (the logistic
 * regression only): small real jobs on MNIST and the breast-cancer table, events, cancellation,
 * the queue limit, bad requests, promotion, and records that outlive the application context.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "dl4j-serving.registry-rescan-interval=1h",
            "dl4j-serving.training.concurrency=1",
            "dl4j-serving.training.queue-capacity=1"
        })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainingJobsTest extends RunningServer {
    static final String SMALL_SOFTMAX = "{\"model\": \"mnist-softmax\", \"hyperparameters\": {\"epochs\": 1,"
            + " \"examples\": 500, \"batchSize\": 10, \"learningRate\": 0.01}}";
    /** Long enough to be caught running: 55,000 images, 3 epochs of the MLP. */
    static final String LONG_MLP = "{\"model\": \"mnist-mlp\", \"hyperparameters\": {\"epochs\": 3}}";

    @TempDir
    static Path models;

    @DynamicPropertySource
    static void modelsDir(DynamicPropertyRegistry registry) throws IOException {
        TestData.copyTree(TestData.MODELS_DIR.resolve("breast-cancer-logreg"), models.resolve("breast-cancer-logreg"));
        registry.add("dl4j-serving.models-dir", models::toString);
        // only the models copied above, not every shipped one
        registry.add("dl4j-serving.seed-models-dir", () -> "");
    }

    private JsonNode waitFor(String id, String... statuses) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = HttpTestClient.json(client.get("/jobs/" + id));
            if (List.of(statuses).contains(job.get("status").asString())) {
                return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + id + " did not reach " + List.of(statuses));
    }

    private List<String> versionDirs(String model) throws IOException {
        Path dir = models.resolve(model);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".last"))
                    .sorted()
                    .toList();
        }
    }

    /** Reads an event stream to its end (the final status event) and returns "name data" per event. */
    private CompletableFuture<List<String>> events(String id) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/jobs/" + id + "/events"))
                .header("Accept", "text/event-stream")
                .build();
        return HttpClient.newHttpClient()
                .sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .thenApply(response -> {
                    assertThat(response.headers().firstValue("Content-Type").orElse(""))
                            .startsWith("text/event-stream");
                    List<String> events = new ArrayList<>();
                    try (BufferedReader in =
                            new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                        String name = null;
                        for (String line; (line = in.readLine()) != null; ) {
                            if (line.startsWith("event:")) {
                                name = line.substring(6).trim();
                            } else if (line.startsWith("data:")) {
                                events.add(name + " " + line.substring(5).trim());
                            }
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    return events;
                });
    }

    @Test
    @Order(1)
    void listsEveryTrainerWithItsHyperparametersAndDatasets() {
        JsonNode trainers = HttpTestClient.json(client.get("/trainers"));
        List<String> names = new ArrayList<>();
        trainers.forEach(t -> names.add(t.get("model").asString()));
        assertThat(names).contains("mnist-mlp", "mnist-softmax", "breast-cancer-logreg", "mnist-dcgan");
        JsonNode mlp = trainers.get(names.indexOf("mnist-mlp"));
        assertThat(mlp.get("datasets").toString()).isEqualTo("[\"mnist\"]");
        JsonNode optimizer = null;
        for (JsonNode h : mlp.get("hyperparameters")) {
            if (h.get("name").asString().equals("optimizer")) {
                optimizer = h;
            }
        }
        assertThat(optimizer).isNotNull();
        assertThat(optimizer.get("choices").toString())
                .contains(
                        "sgd",
                        "momentum",
                        "nesterov",
                        "adagrad",
                        "rmsprop",
                        "adadelta",
                        "adam",
                        "adamax",
                        "nadam",
                        "amsgrad");
        assertThat(mlp.get("hyperparameters").get(0).get("min").asDouble()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void refusesBadRequestsWithA422NamingTheField() {
        String[][] cases = {
            {"{\"model\": \"mnist-mlp\", \"hyperparameters\": {\"learningRate\": -1}}", "hyperparameters.learningRate"},
            {"{\"model\": \"mnist-mlp\", \"hyperparameters\": {\"epochs\": 0}}", "hyperparameters.epochs"},
            {"{\"model\": \"mnist-mlp\", \"hyperparameters\": {\"epochs\": \"ten\"}}", "hyperparameters.epochs"},
            {"{\"model\": \"mnist-mlp\", \"hyperparameters\": {\"epochs\": 2.5}}", "hyperparameters.epochs"},
            {"{\"model\": \"mnist-mlp\", \"hyperparameters\": {\"optimizer\": \"lbfgs\"}}", "hyperparameters.optimizer"
            },
            {"{\"model\": \"mnist-mlp\", \"hyperparameters\": {\"momentum\": 0.9}}", "hyperparameters.momentum"},
            {"{\"model\": \"mnist-softmax\", \"hyperparameters\": {\"dropout\": 0.5}}", "hyperparameters.dropout"},
            {"{\"model\": \"no-such-model\"}", "model"},
            {"{\"hyperparameters\": {}}", "model"},
            {"{\"model\": \"mnist-mlp\", \"dataset\": \"breast-cancer-wisconsin\"}", "dataset"},
            {"{\"model\": \"mnist-mlp\", \"promote\": \"sometimes\"}", "promote"},
            {"{\"modle\": \"mnist-softmax\"}", "modle"},
            {"{\"model\": 7}", "model"},
            {"{\"model\": \"mnist-mlp\", \"hyperparameters\": [1]}", "hyperparameters"}
        };
        for (String[] c : cases) {
            HttpResponse<byte[]> r = client.postJson("/jobs", c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(422);
            assertThat(HttpTestClient.contentType(r)).isEqualTo("application/problem+json");
            assertThat(HttpTestClient.json(r).get("field").asString()).as(c[0]).isEqualTo(c[1]);
        }
        // Before: "There is no trainer for ''", the misspelt key dropped without a word.
        assertThat(HttpTestClient.json(client.postJson("/jobs", "{\"modle\": \"mnist-softmax\"}"))
                        .get("detail")
                        .asString())
                .contains("Unknown field 'modle'", "Did you mean 'model'?", "hyperparameters");
        assertThat(HttpTestClient.json(client.postJson("/jobs", "{\"hyperparameters\": {}}"))
                        .get("detail")
                        .asString())
                .contains("'model'", "mnist-softmax");
        assertThat(client.postJson("/jobs", "{not json").statusCode()).isEqualTo(400);
        assertThat(client.get("/jobs/nope").statusCode()).isEqualTo(404);
        assertThat(client.get("/jobs?status=SLEEPING").statusCode()).isEqualTo(400);
        assertThat(HttpTestClient.json(client.get("/jobs")).size())
                .as("nothing was queued")
                .isZero();
    }

    @Test
    @Order(3)
    void aSmallJobStreamsEventsSucceedsAndItsVersionServesPredictions() throws Exception {
        HttpResponse<byte[]> started = client.postJson("/jobs", SMALL_SOFTMAX);
        assertThat(started.statusCode()).as(new String(started.body())).isEqualTo(202);
        String id = HttpTestClient.json(started).get("id").asString();
        assertThat(started.headers().firstValue("Location")).hasValue("/jobs/" + id);
        CompletableFuture<List<String>> events = events(id);

        JsonNode job = waitFor(id, "SUCCEEDED", "FAILED");
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("progress").asDouble()).isEqualTo(1.0);
        assertThat(job.get("resultVersion").asInt()).isEqualTo(1);
        assertThat(job.get("promoted").asBoolean()).isTrue();
        assertThat(job.get("history").size()).isEqualTo(1);
        assertThat(job.get("history").get(0).get("validation").get("accuracy").asDouble())
                .isGreaterThan(0.5);
        assertThat(job.get("metrics").get("test_accuracy").asDouble())
                .as("500 images, one epoch")
                .isGreaterThan(0.6);
        assertThat(job.get("hyperparameters").get("optimizer").asString()).isEqualTo("adam");
        assertThat(job.get("startedAt").isNull()).isFalse();
        assertThat(job.get("finishedAt").isNull()).isFalse();

        List<String> received = events.get(30, TimeUnit.SECONDS);
        assertThat(received).anyMatch(e -> e.startsWith("epoch "));
        assertThat(received.get(received.size() - 1)).startsWith("status ").contains("\"SUCCEEDED\"");

        // The version on disk carries the job id, hyperparameters, dataset checksum and duration.
        String descriptor =
                Files.readString(models.resolve("mnist-softmax").resolve("1").resolve("model.json"));
        assertThat(descriptor)
                .contains(
                        "\"jobId\" : \"" + id + "\"",
                        "\"optimizer\" : \"adam\"",
                        "train-images",
                        "\"trainingSeconds\"",
                        "\"test_accuracy\"");
        HttpResponse<byte[]> predicted =
                client.postFiles("/predict/mnist-softmax", "image", List.of(ServingEndToEndTest.png(0)), "image/png");
        assertThat(predicted.statusCode()).as(new String(predicted.body())).isEqualTo(200);
        assertThat(HttpTestClient.json(predicted).get("version").asInt()).isEqualTo(1);

        HttpResponse<byte[]> chart = client.get("/jobs/" + id + "/chart");
        assertThat(chart.statusCode()).isEqualTo(200);
        assertThat(HttpTestClient.contentType(chart)).startsWith("image/svg+xml");
        assertThat(new String(chart.body(), StandardCharsets.UTF_8))
                .startsWith("<svg")
                .contains("<polyline");
        assertThat(client.post("/jobs/" + id + "/cancel", "application/json", new byte[0])
                        .statusCode())
                .as("a finished job cannot be cancelled")
                .isEqualTo(409);
    }

    @Test
    @Order(4)
    void promotionPoliciesDecideTheDefault() throws Exception {
        String never = HttpTestClient.json(client.postJson(
                        "/jobs",
                        "{\"model\": \"breast-cancer-logreg\", "
                                + "\"hyperparameters\": {\"epochs\": 2}, \"promote\": \"never\"}"))
                .get("id")
                .asString();
        JsonNode job = waitFor(never, "SUCCEEDED", "FAILED");
        assertThat(job.get("resultVersion").asInt()).as(job.toString()).isEqualTo(2);
        assertThat(job.get("promoted").asBoolean()).isFalse();
        assertThat(job.get("promotionReason").asString()).contains("never");
        assertThat(HttpTestClient.json(client.get("/models/breast-cancer-logreg"))
                        .get("defaultVersion")
                        .asInt())
                .isEqualTo(1);

        // Requests keep flowing while the promoted version is published and becomes the default.
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Thread load = new Thread(() -> {
            while (running.get()) {
                int status = client.postJson("/predict", ServingEndToEndTest.BENIGN_ROW)
                        .statusCode();
                (status == 200 ? ok : failed).incrementAndGet();
            }
        });
        load.start();
        String always = HttpTestClient.json(
                        client.postJson(
                                "/jobs",
                                "{\"model\": \"breast-cancer-logreg\", "
                                        + "\"hyperparameters\": {\"epochs\": 2, \"optimizer\": \"sgd\"}, \"promote\": \"always\"}"))
                .get("id")
                .asString();
        job = waitFor(always, "SUCCEEDED", "FAILED");
        Thread.sleep(200);
        running.set(false);
        load.join();
        assertThat(failed).as("requests during the promotion").hasValue(0);
        assertThat(ok.get()).isPositive();
        assertThat(job.get("promoted").asBoolean()).as(job.toString()).isTrue();
        assertThat(HttpTestClient.json(client.get("/models/breast-cancer-logreg"))
                        .get("defaultVersion")
                        .asInt())
                .isEqualTo(3);
        assertThat(HttpTestClient.json(client.postJson("/predict", ServingEndToEndTest.BENIGN_ROW))
                        .get("version")
                        .asInt())
                .isEqualTo(3);

        String ifBetter = HttpTestClient.json(client.postJson(
                        "/jobs",
                        SMALL_SOFTMAX
                                .replace("}}", "}, \"promote\": \"if-better\"}")
                                .replace("\"examples\": 500", "\"examples\": 100")))
                .get("id")
                .asString();
        job = waitFor(ifBetter, "SUCCEEDED", "FAILED");
        assertThat(job.get("promotionReason").asString())
                .as(job.toString())
                .contains("test_accuracy")
                .contains("the default's (version 1)");
        JsonNode softmax = HttpTestClient.json(client.get("/models/mnist-softmax"));
        assertThat(softmax.get("defaultVersion").asInt())
                .isEqualTo(job.get("promoted").asBoolean() ? 2 : 1);
    }

    @Test
    @Order(5)
    void cancelsARunningJobAndAQueuedOneAndRefusesAThirdWith429() throws Exception {
        List<String> before = versionDirs("mnist-mlp");
        String running = HttpTestClient.json(client.postJson("/jobs", LONG_MLP))
                .get("id")
                .asString();
        HttpResponse<byte[]> queued = client.postJson("/jobs", LONG_MLP);
        assertThat(queued.statusCode()).isEqualTo(202);
        HttpResponse<byte[]> refused = client.postJson("/jobs", LONG_MLP);
        assertThat(refused.statusCode())
                .as("one running, one waiting: the queue is full")
                .isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(HttpTestClient.contentType(refused)).isEqualTo("application/problem+json");

        String queuedId = HttpTestClient.json(queued).get("id").asString();
        assertThat(HttpTestClient.json(client.post("/jobs/" + queuedId + "/cancel", "application/json", new byte[0]))
                        .get("status")
                        .asString())
                .isEqualTo("CANCELLED");

        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (HttpTestClient.json(client.get("/jobs/" + running))
                                .get("iteration")
                                .asLong()
                        < 3
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        JsonNode cancelling =
                HttpTestClient.json(client.post("/jobs/" + running + "/cancel", "application/json", new byte[0]));
        assertThat(cancelling.get("status").asString()).isIn("CANCELLING", "CANCELLED");
        JsonNode done = waitFor(running, "CANCELLED", "SUCCEEDED", "FAILED");
        assertThat(done.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(done.get("progress").asDouble()).as("stopped early").isLessThan(0.5);
        assertThat(done.has("resultVersion")).isFalse();
        assertThat(versionDirs("mnist-mlp"))
                .as("no version and no partial files")
                .isEqualTo(before);
        assertThat(HttpTestClient.json(client.get("/jobs?status=CANCELLED")).size())
                .isEqualTo(2);
        assertThat(HttpTestClient.json(client.get("/jobs?model=mnist-softmax")).size())
                .isEqualTo(2);
    }

    @Test
    @Order(6)
    void jobRecordsSurviveARestartAndAnInterruptedJobIsMarkedFailed() throws Exception {
        List<String> ids = new ArrayList<>();
        HttpTestClient.json(client.get("/jobs"))
                .forEach(j -> ids.add(j.get("id").asString()));
        // A record left RUNNING by a process that died.
        Path jobs = models.resolve(".jobs");
        String orphan = Files.readString(jobs.resolve(ids.get(0) + ".json"))
                .replaceFirst("\"status\" : \"[A-Z]+\"", "\"status\" : \"RUNNING\"")
                .replace(ids.get(0), "00000000-dead-beef-0000-000000000000");
        Files.writeString(jobs.resolve("00000000-dead-beef-0000-000000000000.json"), orphan);

        try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(Dl4jServingApplication.class)
                .run(
                        "--server.port=0",
                        "--dl4j-serving.models-dir=" + models,
                        "--dl4j-serving.seed-models-dir=",
                        "--dl4j-serving.data-dir=" + TestData.DATA_DIR,
                        "--dl4j-serving.registry-rescan-interval=1h")) {
            int port2 = Integer.parseInt(restarted.getEnvironment().getProperty("local.server.port"));
            HttpTestClient other = new HttpTestClient(port2);
            for (String id : ids) {
                assertThat(other.get("/jobs/" + id).statusCode()).isEqualTo(200);
            }
            JsonNode interrupted = HttpTestClient.json(other.get("/jobs/00000000-dead-beef-0000-000000000000"));
            assertThat(interrupted.get("status").asString()).isEqualTo("FAILED");
            assertThat(interrupted.get("error").asString()).startsWith("interrupted");
        }
    }

    @Test
    @Order(7)
    void comparesOptimizersOnTheSameDataWithoutWritingVersions() throws Exception {
        List<String> before = versionDirs("mnist-softmax");
        HttpResponse<byte[]> tooMany = client.postJson(
                "/jobs/compare",
                "{\"model\": \"mnist-softmax\", " + "\"optimizers\": [\"sgd\", \"adam\", \"rmsprop\"], \"epochs\": 1}");
        assertThat(tooMany.statusCode())
                .as("three jobs do not fit one slot and one queue place")
                .isEqualTo(429);
        assertThat(client.postJson("/jobs/compare", "{\"model\": \"mnist-softmax\", \"optimizers\": [\"lbfgs\"]}")
                        .statusCode())
                .isEqualTo(422);

        HttpResponse<byte[]> started = client.postJson(
                "/jobs/compare",
                "{\"model\": \"mnist-softmax\", "
                        + "\"optimizers\": [\"sgd\", \"adam\"], \"epochs\": 1, \"hyperparameters\": {\"examples\": 500, "
                        + "\"batchSize\": 10, \"learningRate\": 0.01}}");
        assertThat(started.statusCode()).as(new String(started.body())).isEqualTo(202);
        String id = HttpTestClient.json(started).get("id").asString();
        for (JsonNode row : HttpTestClient.json(started).get("rows")) {
            waitFor(row.get("job").asString(), "SUCCEEDED", "FAILED");
        }
        JsonNode table = HttpTestClient.json(client.get("/jobs/compare/" + id));
        assertThat(table.get("rows").size()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            JsonNode row = table.get("rows").get(i);
            assertThat(row.get("optimizer").asString()).isEqualTo(i == 0 ? "sgd" : "adam");
            assertThat(row.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(row.get("finalTrainingLoss").asDouble()).isPositive();
            assertThat(row.get("validationAccuracy").asDouble()).isBetween(0.1, 1.0);
            assertThat(row.get("metrics").get("test_accuracy").asDouble()).isBetween(0.1, 1.0);
            assertThat(row.get("wallSeconds").asDouble()).isPositive();
        }
        assertThat(table.get("rows").get(0).get("finalTrainingLoss").asDouble())
                .as("different optimizers, different losses")
                .isNotEqualTo(table.get("rows").get(1).get("finalTrainingLoss").asDouble());
        String svg = new String(client.get("/jobs/compare/" + id + "/chart").body(), StandardCharsets.UTF_8);
        assertThat(svg.split("<polyline", -1)).as("one curve per optimizer").hasSize(3);
        assertThat(svg).contains(">sgd<", ">adam<");
        assertThat(versionDirs("mnist-softmax"))
                .as("comparison runs write no version")
                .isEqualTo(before);
        assertThat(client.get("/jobs/compare/cmp-nope").statusCode()).isEqualTo(404);
    }
}
