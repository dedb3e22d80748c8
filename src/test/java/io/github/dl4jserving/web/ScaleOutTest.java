package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.Dl4jServingApplication;
import io.github.dl4jserving.S3Server;
import io.github.dl4jserving.TestData;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two replicas of the real service on one S3-compatible store (s3proxy on loopback), as the compose
 * {@code scale} profile and the Helm chart run them: the trainer, and a serving replica that forwards
 * training to it. A job started on the serving replica runs on the trainer, is followed (status and
 * events) through the serving replica, and its promoted version reaches the serving replica within
 * a rescan interval while requests keep succeeding there. Restarting the serving replica leaves the
 * trainer's jobs alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutTest {
    static final String KEY = "scale-out-test-key";
    static final String MODEL = "breast-cancer-logreg";
    static final String ROW = "{\"features\": {\"clump_thickness\": 5, \"uniformity_cell_size\": 1,"
            + " \"uniformity_cell_shape\": 1, \"marginal_adhesion\": 1, \"single_epithelial_cell_size\": 2,"
            + " \"bare_nuclei\": 1, \"bland_chromatin\": 3, \"normal_nucleoli\": 1, \"mitoses\": 1}}";

    @TempDir
    static Path dir;

    static S3Server server;
    static ConfigurableApplicationContext trainer;
    static ConfigurableApplicationContext serving;
    static HttpTestClient onTrainer;
    static HttpTestClient onServing;

    @BeforeAll
    static void start() throws Exception {
        server = new S3Server(dir.resolve("s3")).start();
        server.createBucket("models");
        TestData.copyTree(
                TestData.MODELS_DIR.resolve(MODEL), dir.resolve("seeds").resolve(MODEL));
        trainer = replica("trainer");
        onTrainer = new HttpTestClient(port(trainer));
        serving = replica("serving", "--dl4j-serving.training.trainer-url=http://127.0.0.1:" + port(trainer));
        onServing = new HttpTestClient(port(serving));
    }

    @AfterAll
    static void stop() throws Exception {
        if (serving != null) {
            serving.close();
        }
        if (trainer != null) {
            trainer.close();
        }
        server.close();
    }

    static ConfigurableApplicationContext replica(String name, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--dl4j-serving.models-dir=" + dir.resolve(name),
                "--dl4j-serving.seed-models-dir=" + dir.resolve("seeds"),
                "--dl4j-serving.data-dir=" + TestData.DATA_DIR,
                "--dl4j-serving.registry-rescan-interval=1s",
                "--dl4j-serving.registry.store=s3",
                "--dl4j-serving.registry.s3.endpoint=" + server.endpoint(),
                "--dl4j-serving.registry.s3.bucket=models",
                "--dl4j-serving.registry.s3.prefix=repo",
                "--dl4j-serving.security.api-key=" + KEY));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(Dl4jServingApplication.class).run(args.toArray(String[]::new));
    }

    static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    private static int defaultVersion(HttpTestClient client) {
        return HttpTestClient.json(client.get("/models/" + MODEL))
                .get("defaultVersion")
                .asInt();
    }

    private static String submit(HttpTestClient client) {
        HttpResponse<byte[]> started = client.postJson(
                "/jobs", "{\"model\": \"" + MODEL + "\", \"promote\": \"always\"}", "Authorization", "Bearer " + KEY);
        assertThat(started.statusCode())
                .as(new String(started.body(), StandardCharsets.UTF_8))
                .isEqualTo(202);
        return HttpTestClient.json(started).get("id").asString();
    }

    /** The event names of a job's stream, read to its end through {@code port}. */
    private static List<String> events(int port, String id) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobs/" + id + "/events"))
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofMinutes(2))
                .build();
        HttpResponse<java.io.InputStream> response =
                HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String> names = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("event:")) {
                    names.add(line.substring(6).trim());
                }
            }
        }
        return names;
    }

    @Test
    @Order(1)
    void bothReplicasServeTheSeededStore() {
        assertThat(defaultVersion(onTrainer)).isEqualTo(1);
        assertThat(defaultVersion(onServing)).isEqualTo(1);
        JsonNode health = HttpTestClient.json(onServing.get("/actuator/health"));
        assertThat(health.at("/components/modelStore/status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/modelStore/details/location").asString())
                .isEqualTo("s3://models/repo/");
    }

    @Test
    @Order(2)
    void aJobStartedOnTheServingReplicaRunsOnTheTrainerAndItsVersionReachesBoth() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        List<String> failures = new ArrayList<>();
        Thread load = new Thread(() -> {
            while (running.get()) {
                HttpResponse<byte[]> r = onServing.postJson("/predict", ROW);
                if (r.statusCode() == 200) {
                    answered.incrementAndGet();
                } else {
                    synchronized (failures) {
                        failures.add(r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
                    }
                }
            }
        });
        load.start();
        try {
            String id = submit(onServing);
            assertThat(events(port(serving), id))
                    .as("the event stream, through the serving replica")
                    .contains("status");
            JsonNode viaServing = HttpTestClient.json(onServing.get("/jobs/" + id));
            assertThat(viaServing.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(viaServing).isEqualTo(HttpTestClient.json(onTrainer.get("/jobs/" + id)));
            int version = viaServing.get("resultVersion").asInt();
            assertThat(defaultVersion(onTrainer)).isEqualTo(version);

            long promoted = System.nanoTime();
            while (defaultVersion(onServing) != version) {
                assertThat(Duration.ofNanos(System.nanoTime() - promoted))
                        .as("the promotion reaches the serving replica within a few rescans (1 s)")
                        .isLessThan(Duration.ofSeconds(15));
                Thread.sleep(50);
            }
            System.out.printf(
                    "Promotion of version %d reached the serving replica %d ms after the trainer finished%n",
                    version, Duration.ofNanos(System.nanoTime() - promoted).toMillis());
            HttpResponse<byte[]> answer = onServing.postJson("/predict", ROW);
            assertThat(HttpTestClient.json(answer).get("version").asInt()).isEqualTo(version);
        } finally {
            running.set(false);
            load.join();
        }
        System.out.printf(
                "Requests to the serving replica during the job: %d answered, %d failed%n",
                answered.get(), failures.size());
        assertThat(failures).as("no request failed during the promotion").isEmpty();
        assertThat(answered.get()).isPositive();
    }

    @Test
    @Order(3)
    void restartingTheServingReplicaLeavesTheTrainersJobsAlone() throws Exception {
        String id = submit(onServing);
        serving.close();
        serving = replica("serving", "--dl4j-serving.training.trainer-url=http://127.0.0.1:" + port(trainer));
        onServing = new HttpTestClient(port(serving));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        JsonNode job = HttpTestClient.json(onServing.get("/jobs/" + id));
        while (!job.get("status").asString().equals("SUCCEEDED") && System.nanoTime() < deadline) {
            assertThat(job.get("status").asString()).isIn("QUEUED", "RUNNING");
            Thread.sleep(100);
            job = HttpTestClient.json(onServing.get("/jobs/" + id));
        }
        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(HttpTestClient.json(onServing.get("/jobs")).findValuesAsString("id"))
                .contains(id);
    }

    @Test
    @Order(4)
    void aServingReplicaWhoseTrainerIsDownAnswersWithAProblem() throws Exception {
        try (ConfigurableApplicationContext orphan =
                replica("orphan", "--dl4j-serving.training.trainer-url=http://127.0.0.1:" + S3Server.freePort())) {
            HttpResponse<byte[]> r = new HttpTestClient(port(orphan)).get("/jobs");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(HttpTestClient.contentType(r)).startsWith("application/problem+json");
            assertThat(HttpTestClient.json(r).get("detail").asString()).contains("trainer replica");
            // A malformed escape cannot be forwarded: 400, not a 500 (raw, as no URI class takes it).
            try (Socket socket = new Socket("127.0.0.1", port(orphan))) {
                socket.getOutputStream()
                        .write("GET /jobs?x=%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                String status = new BufferedReader(
                                new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                assertThat(status).startsWith("HTTP/1.1 400");
            }
        }
    }

    /** A socket with a GET of the job's event stream sent and the answer's head read; the status in [1]. */
    static Object[] openStream(int port, String id) throws java.io.IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(20_000);
        s.getOutputStream()
                .write(("GET /jobs/" + id + "/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        StringBuilder head = new StringBuilder();
        java.io.InputStream in = s.getInputStream();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        String status = head.length() >= 12 ? head.substring(9, 12) : "-1";
        return new Object[] {s, Integer.parseInt(status), head.toString()};
    }

    @Test
    @Order(5)
    void eventStreamsAreForwardedWithoutHoldingAThreadAndCappedPerClient() throws Exception {
        HttpResponse<byte[]> started = onServing.postJson(
                "/jobs",
                "{\"model\": \"" + MODEL + "\", \"promote\": \"never\", \"hyperparameters\":"
                        + " {\"epochs\": 10000, \"batchSize\": 1}}",
                "Authorization",
                "Bearer " + KEY);
        assertThat(started.statusCode()).isEqualTo(202);
        String id = HttpTestClient.json(started).get("id").asString();
        List<Socket> streams = new ArrayList<>();
        try (ConfigurableApplicationContext narrow = replica(
                "narrow",
                "--dl4j-serving.training.trainer-url=http://127.0.0.1:" + port(trainer),
                "--server.tomcat.threads.max=4")) {
            int port = port(narrow);
            HttpTestClient onNarrow = new HttpTestClient(port);
            for (int i = 0; i < 16; i++) {
                Object[] stream = openStream(port, id);
                streams.add((Socket) stream[0]);
                assertThat((int) stream[1]).as((String) stream[2]).isEqualTo(200);
            }
            Object[] refused = openStream(port, id);
            streams.add((Socket) refused[0]);
            assertThat((int) refused[1]).isEqualTo(429);
            assertThat((String) refused[2]).containsIgnoringCase("Retry-After: 30");
            // Before: each forwarded stream held one of the replica's 4 request threads, and these hung.
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                assertThat(onNarrow.postJson("/predict", ROW).statusCode()).isEqualTo(200);
                assertThat(onNarrow.get("/actuator/health/liveness").statusCode())
                        .isEqualTo(200);
                millis.add((System.nanoTime() - start) / 1_000_000);
            }
            System.out.printf(
                    "16 forwarded event streams open on a replica of 4 request threads: /predict + liveness in %s ms%n",
                    millis);
        } finally {
            for (Socket s : streams) {
                s.close();
            }
            onServing.post(
                    "/jobs/" + id + "/cancel", "application/json", new byte[0], "Authorization", "Bearer " + KEY);
        }
    }
}
