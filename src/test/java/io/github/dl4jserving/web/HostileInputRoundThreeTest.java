package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.TestData;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The third round of hostile input, against the real server, one finding of the outside attack on
 * 57c0d93 per test: images that cost more to decode than to send, chunked trailers, the decoder's
 * byte order, numbers beyond float range, models that answer NaN, a training that diverges, zip
 * entries that are skipped but inflated, descriptor text, and the cosmetic refusals.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dl4j-serving.registry-rescan-interval=1h"})
@ExtendWith(OutputCaptureExtension.class)
class HostileInputRoundThreeTest extends RunningServer {
    @TempDir
    static Path models;

    @DynamicPropertySource
    static void modelsDir(DynamicPropertyRegistry registry) throws IOException {
        TestData.copyTree(TestData.MODELS_DIR, models);
        registry.add("dl4j-serving.models-dir", models::toString);
    }

    private static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }

    // ---- 1. decode time ---------------------------------------------------------------------

    @Test
    void scanBombsAreRefusedBeforeDecodingAndOtherRequestsAreAnsweredMeanwhile() throws Exception {
        byte[] bomb = TestData.progressiveScanBomb(4096, 1000);
        byte[] costly = TestData.progressiveScanBomb(4096, 60); // under the scan limit, at the CPU budget
        ExecutorService attackers = Executors.newFixedThreadPool(64);
        try {
            List<Future<HttpResponse<byte[]>>> bombs = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                byte[] body = i % 8 != 0 ? bomb : costly; // 56 refused from their markers, 8 at the CPU budget
                bombs.add(attackers.submit(() -> client.post("/predict", "image/jpeg", body)));
            }
            List<Double> rowMillis = new ArrayList<>();
            List<Double> pngMillis = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                HttpResponse<byte[]> row = client.postJson("/predict", ServingEndToEndTest.BENIGN_ROW);
                rowMillis.add((System.nanoTime() - start) / 1e6);
                // Before: 503, every inference slot held by a bomb for 48 s.
                assertThat(row.statusCode()).as(new String(row.body())).isEqualTo(200);
                start = System.nanoTime();
                HttpResponse<byte[]> png = client.post("/predict", "image/png", ServingEndToEndTest.png(i));
                pngMillis.add((System.nanoTime() - start) / 1e6);
                assertThat(png.statusCode()).as(new String(png.body())).isEqualTo(200);
            }
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (int i = 0; i < bombs.size(); i++) {
                HttpResponse<byte[]> r = bombs.get(i).get(120, TimeUnit.SECONDS);
                statuses.merge(r.statusCode(), 1, Integer::sum);
                if (i % 8 != 0) {
                    assertThat(r.statusCode()).isEqualTo(400);
                    assertThat(HttpTestClient.json(r).get("detail").asString()).contains("1000 scans");
                }
            }
            System.out.printf(
                    "64 bombs (56 of 1,000 scans, 8 of 60): %s; meanwhile rows p50 %.1f p99 %.1f ms,"
                            + " PNGs p50 %.1f p99 %.1f ms%n",
                    statuses,
                    percentile(rowMillis, 0.5),
                    percentile(rowMillis, 0.99),
                    percentile(pngMillis, 0.5),
                    percentile(pngMillis, 0.99));
        } finally {
            attackers.shutdownNow();
        }
    }

    // ---- 2. event streams --------------------------------------------------------------------

    @Test
    void eventStreamsAreCappedPerClientWithA429AndTheServiceKeepsAnswering() throws Exception {
        HttpResponse<byte[]> started = client.postJson(
                "/jobs",
                "{\"model\": \"breast-cancer-logreg\", \"promote\": \"never\", \"hyperparameters\":"
                        + " {\"epochs\": 10000, \"batchSize\": 1}}");
        assertThat(started.statusCode()).isEqualTo(202);
        String id = HttpTestClient.json(started).get("id").asString();
        List<Socket> streams = new ArrayList<>();
        try {
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (int i = 0; i < 200; i++) {
                Object[] stream = ScaleOutTest.openStream(port, id);
                Socket s = (Socket) stream[0];
                statuses.merge((int) stream[1], 1, Integer::sum);
                if ((int) stream[1] == 200) {
                    streams.add(s);
                } else {
                    assertThat((String) stream[2]).containsIgnoringCase("Retry-After");
                    s.close();
                }
            }
            // Before: every one opened, and 8,400 took every connection Tomcat accepts.
            assertThat(statuses).isEqualTo(Map.of(200, 16, 429, 184));
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                assertThat(client.postJson("/predict", ServingEndToEndTest.BENIGN_ROW)
                                .statusCode())
                        .isEqualTo(200);
                assertThat(client.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
                millis.add((System.nanoTime() - start) / 1e6);
            }
            System.out.printf(
                    "200 stream attempts (16 open): /predict + liveness p50 %.1f p99 %.1f ms%n",
                    percentile(millis, 0.5), percentile(millis, 0.99));
            streams.remove(0).close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int again = 0;
            while (again != 200 && System.nanoTime() < deadline) {
                Object[] stream = ScaleOutTest.openStream(port, id);
                again = (int) stream[1];
                streams.add((Socket) stream[0]);
                Thread.sleep(50);
            }
            assertThat(again).as("a closed stream frees its place").isEqualTo(200);
        } finally {
            for (Socket s : streams) {
                s.close();
            }
            client.post("/jobs/" + id + "/cancel", "application/json", new byte[0]);
        }
    }

    // ---- 3. chunked trailers ----------------------------------------------------------------

    /** The status line of a chunked POST of a table row to /predict with {@code trailers} trailer fields. */
    private String chunkedWithTrailers(int trailers, int valueLength) throws IOException {
        byte[] body = ServingEndToEndTest.BENIGN_ROW.getBytes(StandardCharsets.US_ASCII);
        StringBuilder request = new StringBuilder("POST /predict HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        request.append(Integer.toHexString(body.length))
                .append("\r\n")
                .append(ServingEndToEndTest.BENIGN_ROW)
                .append("\r\n0\r\n");
        for (int i = 0; i < trailers; i++) {
            request.append("X-Trailer-")
                    .append(i)
                    .append(": ")
                    .append("v".repeat(valueLength))
                    .append("\r\n");
        }
        request.append("\r\n");
        try (Socket s = new Socket("localhost", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .lines()
                    .findFirst()
                    .orElse("");
        }
    }

    @Test
    void chunkedTrailersAreReadOrRefusedWithoutAServerError(CapturedOutput output) throws Exception {
        // Before: a ninth trailer field gave 500 and two ERROR stack traces.
        assertThat(chunkedWithTrailers(9, 1)).startsWith("HTTP/1.1 200");
        assertThat(chunkedWithTrailers(200, 100))
                .as("more trailer bytes than Tomcat's limit")
                .startsWith("HTTP/1.1 400");
        assertThat(output.getAll()).doesNotContain(" ERROR ", "IllegalStateException", "NullPointerException");
    }

    // ---- 4. byte order ----------------------------------------------------------------------

    @Test
    void pngsAreReadWhileOtherClientsSendGifsAndBmps() throws Exception {
        BufferedImage digit = ImageIO.read(new java.io.ByteArrayInputStream(ServingEndToEndTest.png(0)));
        ByteArrayOutputStream gif = new ByteArrayOutputStream();
        ImageIO.write(digit, "gif", gif);
        ByteArrayOutputStream bmp = new ByteArrayOutputStream();
        ImageIO.write(digit, "bmp", bmp);
        ExecutorService clients = Executors.newFixedThreadPool(5);
        try {
            List<Future<Integer>> others = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                byte[] body = t % 2 == 0 ? gif.toByteArray() : bmp.toByteArray();
                String type = t % 2 == 0 ? "image/gif" : "image/bmp";
                others.add(clients.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 50; i++) {
                        ok += client.post("/predict", type, body).statusCode() == 200 ? 1 : 0;
                    }
                    return ok;
                }));
            }
            int pngs = 0;
            for (int i = 0; i < 100; i++) {
                HttpResponse<byte[]> r = client.post("/predict", "image/png", ServingEndToEndTest.png(i % 10));
                pngs += r.statusCode() == 200 ? 1 : 0;
            }
            // Before: 233 of 300 valid PNGs failed as "damaged or truncated".
            assertThat(pngs).isEqualTo(100);
            for (Future<Integer> f : others) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(50);
            }
        } finally {
            clients.shutdownNow();
        }
    }

    // ---- 5. numbers beyond float range ------------------------------------------------------

    private void assertRefused(HttpResponse<byte[]> r, int status, String field) {
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(status);
        JsonNode body = HttpTestClient.json(r);
        if (field != null) {
            assertThat(body.get("field").asString()).as(new String(r.body())).isEqualTo(field);
        }
    }

    @Test
    void numbersBeyondFloatRangeAreRefusedOnEveryPathNamingTheField() {
        String zeros = String.join(",", Collections.nCopies(99, "0"));
        // Before: 200 with "NaN", a black image, black frames.
        HttpResponse<byte[]> oip = client.postJson(
                "/v2/models/breast-cancer-logreg/infer",
                "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 9], \"datatype\": \"FP32\","
                        + " \"data\": [1e300, 1, 1, 1, 2, 1, 3, 1, 1]}]}");
        assertThat(oip.statusCode()).as(new String(oip.body())).isEqualTo(400);
        assertThat(HttpTestClient.json(oip).get("error").asString()).contains("data[0]", "32-bit float");
        HttpResponse<byte[]> oip38 = client.postJson(
                "/v2/models/breast-cancer-logreg/infer",
                "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 9], \"datatype\": \"FP64\","
                        + " \"data\": [5, 3.5e38, 1, 1, 2, 1, 3, 1, 1]}]}");
        assertThat(HttpTestClient.json(oip38).get("error").asString()).contains("data[1]");
        assertRefused(client.postJson("/predict/mnist-dcgan", "{\"z\": [[1e300," + zeros + "]]}"), 422, "z[0][0]");
        assertRefused(
                client.postJson(
                        "/predict/mnist-dcgan",
                        "{\"interpolate\": {\"from\": [3.5e38," + zeros + "], \"to\": 2, \"steps\": 3}}"),
                422,
                "interpolate.from[0]");
        assertRefused(
                client.postJson("/predict/salary-polyreg", "{\"features\": {\"level\": 1e300}}"),
                422,
                "features.level");
        assertRefused(client.post("/predict/salary-polyreg", "text/csv", "level\n1e300\n".getBytes()), 422, null);
    }

    // ---- 6. models that answer NaN and trainings that diverge -------------------------------

    /** A one-feature linear regressor with a weight of 3e38: finite at 0, infinite at 10. */
    private static byte[] overflowingRegressor() throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1)
                .list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(1)
                        .nOut(1)
                        .activation(Activation.IDENTITY)
                        .build())
                .build());
        net.init();
        net.params().assign(0);
        net.getLayer(0).getParam("W").assign(3e38);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, zip, false);
        return zip.toByteArray();
    }

    private HttpResponse<byte[]> upload(String name, byte[] zip, String descriptor) {
        return client.postParts(
                "/models/" + name + "/versions",
                List.of(
                        new HttpTestClient.Part("model", "model.zip", "application/zip", zip),
                        new HttpTestClient.Part(
                                "descriptor", null, "application/json", descriptor.getBytes(StandardCharsets.UTF_8))));
    }

    private static final String REGRESSOR = "{\"kind\": \"tabular-regressor\", \"description\": \"%s\","
            + " \"input\": {\"features\": [{\"name\": \"x\", \"min\": 0, \"max\": 10}]}%s}";

    private double nonFiniteCount() {
        HttpResponse<byte[]> r = client.get("/actuator/prometheus");
        return new String(r.body(), StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.startsWith("dl4j_inference_non_finite_outputs_total{") && l.contains("overflow"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void aVersionThatAnswersNanGetsACounted500NamingItInsteadOfANanPrediction() throws Exception {
        HttpResponse<byte[]> created =
                upload("overflow", overflowingRegressor(), String.format(REGRESSOR, "overflows past 0", ""));
        assertThat(created.statusCode()).as(new String(created.body())).isEqualTo(201);

        assertThat(client.postJson("/predict/overflow", "{\"features\": {\"x\": 0}}")
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<byte[]> nan = client.postJson("/predict/overflow", "{\"features\": {\"x\": 10}}");

        // Before: 200 {"prediction": "NaN"}.
        assertThat(nan.statusCode()).as(new String(nan.body())).isEqualTo(500);
        assertThat(HttpTestClient.contentType(nan)).startsWith("application/problem+json");
        JsonNode problem = HttpTestClient.json(nan);
        assertThat(problem.get("model").asString()).isEqualTo("overflow");
        assertThat(problem.get("version").asInt()).isEqualTo(1);
        assertThat(problem.get("detail").asString()).contains("NaN", "'overflow'");
        assertThat(nonFiniteCount()).isEqualTo(1.0);
    }

    @Test
    void aTrainingThatDivergesFailsWithItsReasonAndTheDefaultKeepsAnswering() throws Exception {
        HttpResponse<byte[]> started = client.postJson(
                "/jobs",
                "{\"model\": \"salary-polyreg\", \"promote\": \"always\", \"hyperparameters\":"
                        + " {\"optimizer\": \"sgd\", \"learningRate\": 10, \"epochs\": 300}}");
        assertThat(started.statusCode()).as(new String(started.body())).isEqualTo(202);
        String id = HttpTestClient.json(started).get("id").asString();
        JsonNode job = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            job = HttpTestClient.json(client.get("/jobs/" + id));
            if (!List.of("QUEUED", "RUNNING").contains(job.get("status").asString())) {
                break;
            }
            Thread.sleep(100);
        }
        // Before: SUCCEEDED with loss NaN, and the new default answered {"prediction": "NaN"}.
        assertThat(job.get("status").asString()).isEqualTo("FAILED");
        assertThat(job.get("error").asString()).contains("diverged", "NaN");
        HttpResponse<byte[]> answer = client.postJson("/predict/salary-polyreg", "{\"features\": {\"level\": 6}}");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(HttpTestClient.json(answer).get("version").asInt()).isEqualTo(1);
    }

    // ---- 9. model memory ---------------------------------------------------------------------

    @Test
    void aNetworkDeclaringMoreParametersThanTheLimitIsRefusedFromItsConfigurationAlone() throws Exception {
        // 784 -> 100,000 -> 10: 79.5 million parameters, 318 MB of floats; the attack's zip of zeros was 310 KB.
        String configuration = new NeuralNetConfiguration.Builder()
                .list()
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder()
                        .nIn(784)
                        .nOut(100_000)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(100_000)
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build()
                .toJson();
        byte[] zip = TestData.zip(Map.of("configuration.json", configuration.getBytes(StandardCharsets.UTF_8)));
        String mlp = Files.readString(TestData.MODELS_DIR.resolve("mnist-mlp/1/model.json"))
                .replace("\"name\" : \"mnist-mlp\",", "");

        HttpResponse<byte[]> r = upload("huge", zip, mlp);

        // Before: loaded, adding about 930 MB of resident memory per version.
        assertRefused(r, 422, "model");
        assertThat(HttpTestClient.json(r).get("detail").asString())
                .contains("79500010 parameters", "dl4j-serving.max-model-parameters");
        assertThat(models.resolve("huge")).doesNotExist();
    }

    // ---- 11. zip entries that are skipped ---------------------------------------------------

    @Test
    void aSkippedZipEntryThatInflatesToGigabytesIsRefusedWithoutInflatingIt() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (int i = 0; i < 4; i++) {
                z.putNextEntry(new ZipEntry((i % 2) + "/d" + i + ".png"));
                z.write(ServingEndToEndTest.png(i));
                z.closeEntry();
            }
            z.putNextEntry(new ZipEntry("__MACOSX/0/._d0.png"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 2048; i++) { // 2 GB of zeros, about 2 MB deflated
                z.write(zeros);
            }
            z.closeEntry();
        }
        assertThat(bytes.size()).isLessThan(4 << 20);

        long start = System.nanoTime();
        HttpResponse<byte[]> r = client.post("/datasets", "application/zip", bytes.toByteArray());
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(422);
        assertThat(HttpTestClient.json(r).get("detail").asString()).contains("__MACOSX/0/._d0.png", "skipped");
        System.out.printf("a 2 GB __MACOSX entry in a %d KB zip: 422 after %.2f s%n", bytes.size() >> 10, seconds);
    }

    // ---- 12. descriptor text ----------------------------------------------------------------

    @Test
    void descriptorTextIsBoundedValidAndVisibleAndARefusedUploadLeavesNothing() throws Exception {
        byte[] zip = overflowingRegressor();
        // Before: accepted, and every GET /models carried it (5 MB in the attack).
        assertRefused(upload("text-a", zip, String.format(REGRESSOR, "x".repeat(100_000), "")), 422, "description");
        // Before: accepted; the label reads backwards on every page that shows it.
        String rtl = "{\"kind\": \"tabular-classifier\", \"input\": {\"features\": [{\"name\": \"x\", \"min\": 0,"
                + " \"max\": 1}]}, \"labels\": [\"no\", \"\\u202Eyes\"]}";
        assertRefused(upload("text-b", zip, rtl), 422, "labels[1]");
        // Before: 500.
        assertRefused(upload("text-c", zip, rtl.replace("\\u202E", "\\ud800")), 422, "labels[1]");
        // Before: a NullPointerException reported as "ModelSerializer could not restore".
        assertRefused(
                upload("text-d", zip, String.format(REGRESSOR, "d", ", \"provenance\": {\"dataset\": \"x\"}")),
                422,
                "provenance.trainer");
        // Refused by the network check after the directory was made; before, it stayed behind.
        assertThat(upload(
                                "text-e",
                                zip,
                                String.format(REGRESSOR, "e", "")
                                        .replace(
                                                "\"max\": 10",
                                                "\"max\": 10}, " + "{\"name\": \"y\", \"min\": 0, \"max\": 1"))
                        .statusCode())
                .isEqualTo(422);
        for (String name : List.of("text-a", "text-b", "text-c", "text-d", "text-e")) {
            assertThat(models.resolve(name)).as(name).doesNotExist();
            assertThat(client.get("/models/" + name).statusCode()).isEqualTo(404);
        }
        assertThat(Files.list(models).map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("text-"));
    }

    // ---- 13. cosmetic -----------------------------------------------------------------------

    private double generatorForwardPasses() {
        JsonNode m = HttpTestClient.json(client.get("/actuator/metrics/dl4j.inference.forward?tag=model:mnist-dcgan"));
        return m.get("measurements") == null
                ? 0
                : m.get("measurements").get(0).get("value").asDouble();
    }

    @Test
    void refusalsComeBeforeTheWorkAndAlwaysAsProblems() throws Exception {
        double before = generatorForwardPasses();
        HttpResponse<byte[]> scale = client.get("/generate?count=256&scale=9");
        assertRefused(scale, 422, "scale");
        assertThat(generatorForwardPasses()).as("no digit was generated first").isEqualTo(before);

        // Before: 406 with an empty body.
        HttpResponse<byte[]> accept = client.post(
                "/predict", "application/json", ServingEndToEndTest.BENIGN_ROW.getBytes(), "Accept", ";;;x//");
        assertThat(accept.statusCode()).isEqualTo(400);
        assertThat(HttpTestClient.contentType(accept)).startsWith("application/problem+json");
        assertThat(HttpTestClient.json(accept).get("detail").asString()).contains("Accept");

        // Before: "A body with no Content-Type is not accepted here".
        HttpResponse<byte[]> charset =
                client.post("/predict", "application/json; charset=bogus", ServingEndToEndTest.BENIGN_ROW.getBytes());
        assertThat(charset.statusCode()).isEqualTo(415);
        assertThat(HttpTestClient.json(charset).get("detail").asString()).contains("charset 'bogus'");

        for (String target : List.of("*", "/predict", "/models", "/jobs")) {
            try (Socket s = new Socket("localhost", port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream()
                        .write(("OPTIONS " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                String head = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(head).as(target).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("TRACE");
            }
        }
    }
}
