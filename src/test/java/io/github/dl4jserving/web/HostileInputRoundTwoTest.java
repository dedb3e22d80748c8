package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.TestData;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The second round of hostile input, against the real server: slow request bodies, images that cost
 * more to decode than to send, malformed URLs, what the service let slip (paths, JDK messages, keys in
 * the log), versions that would silently change a model's contract, and loose parsing of numbers and
 * JSON keys. The body-read timeout is 2 s here (10 s by default) and the data set pixel budget 100
 * million (a billion by default), so that the test is quick; the limits work the same way.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "dl4j-serving.registry-rescan-interval=1h",
            "dl4j-serving.body-read-timeout=2s",
            "dl4j-serving.max-dataset-pixels=100000000"
        })
@ExtendWith(OutputCaptureExtension.class)
class HostileInputRoundTwoTest extends RunningServer {
    @TempDir
    static Path models;

    @DynamicPropertySource
    static void modelsDir(DynamicPropertyRegistry registry) throws IOException {
        TestData.copyTree(TestData.MODELS_DIR, models);
        registry.add("dl4j-serving.models-dir", models::toString);
    }

    // ---- 1. slow bodies ----------------------------------------------------------------------

    /** Opens a connection that sends the headers of a 100 KB body and its first byte, then nothing. */
    private Socket slowSender(boolean multipart) throws IOException {
        Socket s = new Socket("localhost", port);
        s.setSoTimeout(20_000);
        String type = multipart ? "multipart/form-data; boundary=slow" : "image/png";
        s.getOutputStream()
                .write(("POST /predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + type
                                + "\r\nContent-Length: 100000\r\n\r\n-")
                        .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /** The status code of the answer on {@code s}, or -1 when it closed without one. */
    private static int status(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        byte[] head = in.readNBytes(12);
        if (head.length < 12) {
            return -1;
        }
        return Integer.parseInt(new String(head, 9, 3, StandardCharsets.US_ASCII));
    }

    @Test
    void twoHundredSlowSendersGet408AndInferenceAnswersThroughout() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                slow.add(slowSender(i % 4 == 0)); // one in four a multipart upload
            }
            Thread.sleep(300); // all of them are being read now
            // Before: the first 64 took every inference slot, and each of these got 503.
            for (int i = 0; i < 10; i++) {
                HttpResponse<byte[]> row = client.postJson("/predict", ServingEndToEndTest.BENIGN_ROW);
                assertThat(row.statusCode())
                        .as("a JSON row while 200 slow senders are connected: " + new String(row.body()))
                        .isEqualTo(200);
            }
            assertThat(client.postFiles("/predict", "image", List.of(ServingEndToEndTest.png(0)), "image/png")
                            .statusCode())
                    .isEqualTo(200);
            long start = System.nanoTime();
            Map<Integer, Integer> statuses = new LinkedHashMap<>();
            for (Socket s : slow) {
                statuses.merge(status(s), 1, Integer::sum);
            }
            System.out.printf(
                    "200 slow senders: %s, all answered %.1f s after the inference requests%n",
                    statuses, (System.nanoTime() - start) / 1e9);
            assertThat(statuses).isEqualTo(Map.of(408, 200));
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        assertThat(HttpTestClient.json(client.get("/actuator/metrics/dl4j.inference.body.reads"))
                        .get("measurements")
                        .get(0)
                        .get("value")
                        .asDouble())
                .as("no body is being read any more")
                .isZero();
    }

    @ParameterizedTest(name = "multipart {0}")
    @ValueSource(booleans = {false, true})
    void aTrickleThatNeverStallsIsStillCutOffByTheMinimumRate(boolean multipart) throws Exception {
        try (Socket s = slowSender(multipart)) {
            OutputStream out = s.getOutputStream();
            long start = System.nanoTime();
            // one byte every half second never trips the 2 s stall timeout, but 100 KB at that rate
            // would take 14 hours; the deadline is 2 s + 100 KB / 64 KB/s, about 3.5 s
            ExecutorService trickle = Executors.newSingleThreadExecutor();
            Future<?> sending = trickle.submit(() -> {
                for (int i = 0; i < 40; i++) {
                    try {
                        Thread.sleep(500);
                        out.write('-');
                        out.flush();
                    } catch (IOException | InterruptedException e) {
                        return; // the server closed the connection
                    }
                }
            });
            int status = status(s);
            double seconds = (System.nanoTime() - start) / 1e9;
            sending.cancel(true);
            trickle.shutdownNow();
            assertThat(status).isEqualTo(408);
            assertThat(seconds).as("cut off near its deadline").isBetween(3.0, 10.0);
        }
    }

    // ---- 2. decode budgets ------------------------------------------------------------------

    /** A 4096x4096 PNG of a bright bar on black: 28 KB, 16.8 million pixels. */
    private static byte[] bigDigit() throws IOException {
        BufferedImage image = new BufferedImage(4096, 4096, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(1950, 1024, 200, 2048);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    @Test
    void imagesThatDeclareTooManyPixelsAreRefusedBeforeTheyAreDecoded() throws Exception {
        byte[] big = bigDigit();
        assertThat(big.length).isLessThan(64 << 10);

        HttpResponse<byte[]> one = client.postFiles("/predict", "image", List.of(big), "image/png");
        assertThat(one.statusCode()).as(new String(one.body())).isEqualTo(200);
        assertThat(HttpTestClient.json(one)
                        .get("predictions")
                        .get(0)
                        .get("label")
                        .asString())
                .as("read subsampled, still a 1")
                .isEqualTo("1");

        long start = System.nanoTime();
        HttpResponse<byte[]> many =
                client.postFiles("/predict", "image", java.util.Collections.nCopies(64, big), "image/png");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(many.statusCode()).as(new String(many.body())).isEqualTo(413);
        assertThat(HttpTestClient.contentType(many)).isEqualTo("application/problem+json");
        assertThat(HttpTestClient.json(many).get("detail").asString())
                .contains("dl4j-serving.max-request-pixels", "268435456");
        System.out.printf("64 images of 4096x4096 in one request: 413 after %.2f s%n", seconds);

        String b64 = Base64.getEncoder().encodeToString(big);
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            data.append(i == 0 ? "" : ",").append('"').append(b64).append('"');
        }
        HttpResponse<byte[]> oip = client.postJson(
                "/v2/models/mnist-mlp/infer",
                "{\"inputs\": [{\"name\": \"image\", \"shape\": [20], \"datatype\": \"BYTES\", \"data\": [" + data
                        + "]}]}");
        assertThat(oip.statusCode()).as(new String(oip.body())).isEqualTo(413);
        assertThat(HttpTestClient.json(oip).get("error").asString()).contains("dl4j-serving.max-request-pixels");

        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            for (int i = 0; i < 8; i++) {
                z.putNextEntry(new ZipEntry((i % 2 == 0 ? "one" : "other") + "/big" + i + ".png"));
                z.write(big);
                z.closeEntry();
            }
        }
        HttpResponse<byte[]> dataset = client.post("/datasets", "application/zip", zip.toByteArray());
        assertThat(dataset.statusCode()).as(new String(dataset.body())).isEqualTo(422);
        assertThat(HttpTestClient.json(dataset).get("detail").asString())
                .contains("dl4j-serving.max-dataset-pixels", "big5.png"); // 6 x 16.8 million > 100 million
    }

    // ---- 3. malformed URLs ------------------------------------------------------------------

    /** Sends {@code method path} as written, which Java's HTTP client would refuse, and answers the whole response. */
    private String raw(String method, String path, String contentType, String body) throws IOException {
        try (Socket s = new Socket("localhost", port)) {
            s.setSoTimeout(10_000);
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                    + (body == null ? "" : "Content-Length: " + content.length + "\r\n") + "\r\n";
            s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(content);
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void malformedQueryStringsAndErrorAnswer400WithoutAStackTraceInTheLog(CapturedOutput output) throws Exception {
        int logged = output.getAll().length();
        for (String path : List.of(
                "/actuator/health?x=%ff",
                "/models?k=%zz", "/models/mnist-mlp?x=%", "/generate?seed=1&y=%c3%28", "/error")) {
            String r = raw("GET", path, null, null);
            assertThat(r).as(path).startsWith("HTTP/1.1 400 ").contains("Content-Type: application/problem+json");
        }
        assertThat(raw("POST", "/predict?k=%zz", "application/json", ServingEndToEndTest.BENIGN_ROW))
                .startsWith("HTTP/1.1 400 ");
        assertThat(raw("POST", "/error", "application/json", "{}")).startsWith("HTTP/1.1 400 ");
        assertThat(client.get("/models?name=%C3%BC+x%20y").statusCode())
                .as("valid escapes still pass")
                .isEqualTo(200);
        String log = output.getAll().substring(logged);
        assertThat(log).doesNotContain(" ERROR ", "InvalidParameterException", "\tat ");
    }

    // ---- 4. leaks ---------------------------------------------------------------------------

    @Test
    void metricsShowNoPathOrJdkBuild() {
        String prometheus = new String(client.get("/actuator/prometheus").body(), StandardCharsets.UTF_8);
        assertThat(prometheus).contains("dl4j_inference_inflight");
        assertThat(prometheus).doesNotContain("disk_free", "disk_total", "jvm_info", "path=\"/");
        assertThat(client.get("/actuator/metrics/disk.free").statusCode()).isEqualTo(404);
        assertThat(client.get("/actuator/metrics/jvm.info").statusCode()).isEqualTo(404);
    }

    @Test
    void datasetUploadProblemsSayWhatIsWrongWithoutJdkMessages() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (int i = 0; i < 4; i++) {
                z.putNextEntry(new ZipEntry((i % 2) + "/d" + i + ".png"));
                z.write(ServingEndToEndTest.png(i));
                z.closeEntry();
            }
        }
        byte[] whole = bytes.toByteArray();
        byte[] encrypted = whole.clone();
        encrypted[6] |= 1; // the first entry's "encrypted" flag
        Map<String, byte[]> uploads = new LinkedHashMap<>();
        uploads.put("truncated", Arrays.copyOf(whole, whole.length / 2));
        uploads.put("encrypted", encrypted);
        uploads.put("inflated garbage", inflateGarbage(whole));
        for (var upload : uploads.entrySet()) {
            HttpResponse<byte[]> r = client.post("/datasets", "application/zip", upload.getValue());
            String detail = HttpTestClient.json(r).get("detail").asString();
            assertThat(r.statusCode()).as(upload.getKey() + ": " + detail).isBetween(400, 499);
            assertThat(detail)
                    .as(upload.getKey())
                    .doesNotContain("Exception", "ZLIB", "ZIP entry", "stored block", "inflate");
            assertThat(HostileInputTest.LEAK.matcher(detail).find()).as(detail).isFalse();
        }
        HttpResponse<byte[]> gz = client.postParts(
                "/datasets",
                List.of(
                        new HttpTestClient.Part("images", "images.gz", "application/gzip", Arrays.copyOf(gzip(), 40)),
                        new HttpTestClient.Part("labels", "labels.gz", "application/gzip", Arrays.copyOf(gzip(), 40))));
        String detail = HttpTestClient.json(gz).get("detail").asString();
        assertThat(gz.statusCode()).as(detail).isBetween(400, 499);
        assertThat(detail).doesNotContain("Exception", "ZLIB", "Unexpected end");
    }

    /** A zip whose first entry's compressed data is overwritten, so inflating it fails. */
    private static byte[] inflateGarbage(byte[] zip) {
        byte[] broken = zip.clone();
        int nameLength = (broken[26] & 0xFF) | (broken[27] & 0xFF) << 8;
        int data = 30 + nameLength;
        for (int i = data; i < data + 40 && i < broken.length; i++) {
            broken[i] = (byte) 0xFF;
        }
        return broken;
    }

    private static byte[] gzip() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(new byte[4096]);
        }
        return out.toByteArray();
    }

    /** Sends {@code header: value} raw, as bytes, and answers the status. */
    private int rawGet(String header, byte[] value) throws IOException {
        try (Socket s = new Socket("localhost", port)) {
            s.setSoTimeout(10_000);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes("GET /jobs HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
            request.writeBytes((header + ": ").getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(value);
            request.writeBytes("\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(request.toByteArray());
            return status(s);
        }
    }

    @Test
    void controlCharactersInAKeyGet400AndTheKeyIsNeverLogged(CapturedOutput output) throws Exception {
        String secret = "s3cret-key-material";
        for (String control : new String[] {"\0", "\u0001", "\t", "\u007f", "\u00e9"}) {
            byte[] key = ("s3cret" + control + "-key-material").getBytes(StandardCharsets.ISO_8859_1);
            assertThat(rawGet("X-API-Key", key))
                    .as("X-API-Key with %x", (int) control.charAt(0))
                    .isEqualTo(400);
            byte[] bearer = ("Bearer s3cret" + control + "-key-material").getBytes(StandardCharsets.ISO_8859_1);
            assertThat(rawGet("Authorization", bearer))
                    .as("Authorization with %x", (int) control.charAt(0))
                    .isEqualTo(400);
        }
        assertThat(output.getAll()).doesNotContain(secret, "s3cret", "key-material");
    }

    // ---- 5. models that change shape --------------------------------------------------------

    private HttpResponse<byte[]> upload(String path, byte[] zip, String descriptor) {
        return client.postParts(
                path,
                List.of(
                        new HttpTestClient.Part("model", "model.zip", "application/zip", zip),
                        new HttpTestClient.Part(
                                "descriptor", null, "application/json", descriptor.getBytes(StandardCharsets.UTF_8))));
    }

    private static String shipped(String model) throws IOException {
        return Files.readString(TestData.MODELS_DIR.resolve(model + "/1/model.json"));
    }

    private static byte[] shippedZip(String model) throws IOException {
        return Files.readAllBytes(TestData.MODELS_DIR.resolve(model + "/1/model.zip"));
    }

    private void assertRefused(HttpResponse<byte[]> r, int status, String field) {
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(status);
        assertThat(HttpTestClient.contentType(r)).startsWith("application/problem+json");
        if (field != null) {
            assertThat(HttpTestClient.json(r).get("field").asString())
                    .as(new String(r.body()))
                    .isEqualTo(field);
        }
    }

    @Test
    void descriptorsThatDoNotMatchTheirNetworkAreRefusedNamingTheField() throws Exception {
        String bc = shipped("breast-cancer-logreg").replace("\"name\" : \"breast-cancer-logreg\",", "");
        byte[] bcZip = shippedZip("breast-cancer-logreg");
        String first = "\"name\" : \"clump_thickness\",\n      \"min\" : 1.0,\n      \"max\" : 10.0";
        assertThat(bc).contains(first);
        String path = "/models/bc-checked/versions";

        assertRefused(
                upload(path, bcZip, bc.replace(first, first.replace("\"min\" : 1.0", "\"min\" : 11.0"))),
                422,
                "input.features[0]");
        assertRefused(
                upload(path, bcZip, bc.replace(first, first.replace("\"min\" : 1.0", "\"min\" : null"))),
                422,
                "input.features[0].min");
        assertRefused(
                upload(path, bcZip, bc.replace("\"uniformity_cell_size\"", "\"clump_thickness\"")),
                422,
                "input.features[1].name");
        assertRefused(
                upload(path, bcZip, bc.replace("\"tabular-classifier\"", "\"tabular-regressor\"")), 422, "labels");
        assertRefused(
                upload(
                        path,
                        bcZip,
                        bc.replace("\"tabular-classifier\"", "\"tabular-regressor\"")
                                .replace("\"labels\" : [ \"benign\", \"malignant\" ],", "")),
                422,
                "kind");
        Map<String, byte[]> entries = TestData.unzip(TestData.MODELS_DIR.resolve("breast-cancer-logreg/1/model.zip"));
        assertThat(entries).containsKey("normalizer.bin");
        entries.remove("normalizer.bin");
        assertRefused(upload(path, TestData.zip(entries), bc), 422, "model");
        assertRefused(
                upload(path, bcZip, bc.replace("[ \"benign\", \"malignant\" ]", "[ \"benign\", \"benign\" ]")),
                422,
                "labels");
        String mlp = shipped("mnist-mlp").replace("\"name\" : \"mnist-mlp\",", "");
        assertRefused(
                upload("/models/mlp-checked/versions", shippedZip("mnist-mlp"), mlp.replace(", \"9\" ]", " ]")),
                422,
                null);
        assertThat(client.get("/models/bc-checked").statusCode())
                .as("nothing was created")
                .isEqualTo(404);

        HttpResponse<byte[]> created = upload(path, bcZip, bc);
        assertThat(created.statusCode())
                .as("an upload to a new name creates the model: " + new String(created.body()))
                .isEqualTo(201);
    }

    @Test
    void aVersionThatChangesTheContractIsRefusedUnlessTheRequestSaysSo(CapturedOutput output) throws Exception {
        String bc = shipped("breast-cancer-logreg");
        byte[] bcZip = shippedZip("breast-cancer-logreg");
        String path = "/models/breast-cancer-logreg/versions";
        String renamed = bc.replace("\"clump_thickness\"", "\"thickness\"");
        String relabelled = bc.replace("[ \"benign\", \"malignant\" ]", "[ \"no\", \"yes\" ]");

        HttpResponse<byte[]> features = upload(path, bcZip, renamed);
        assertRefused(features, 409, null);
        assertThat(HttpTestClient.json(features).get("detail").asString())
                .contains("input features", "thickness", "allowSchemaChange=true");
        HttpResponse<byte[]> labels = upload(path, bcZip, relabelled);
        assertRefused(labels, 409, null);
        assertThat(HttpTestClient.json(labels).get("detail").asString()).contains("labels", "benign", "yes");
        assertThat(HttpTestClient.json(client.get("/models/breast-cancer-logreg"))
                        .get("versions")
                        .size())
                .as("nothing was added")
                .isEqualTo(1);

        HttpResponse<byte[]> same = upload(path, bcZip, bc);
        assertThat(same.statusCode())
                .as("the same contract: " + new String(same.body()))
                .isEqualTo(201);
        assertThat(HttpTestClient.json(same).has("schemaChange")).isFalse();

        HttpResponse<byte[]> allowed = upload(path + "?allowSchemaChange=true", bcZip, relabelled);
        assertThat(allowed.statusCode()).as(new String(allowed.body())).isEqualTo(201);
        JsonNode change = HttpTestClient.json(allowed).get("schemaChange");
        assertThat(change.get("fromVersion").asInt()).isEqualTo(2);
        assertThat(change.get("changes").toString()).contains("labels", "benign", "yes");
        int version = HttpTestClient.json(allowed).get("version").asInt();
        assertThat(client.get("/models/breast-cancer-logreg/versions/" + version)
                        .body())
                .asString()
                .as("recorded in the version's descriptor")
                .contains("schemaChange");
        assertThat(output.getAll()).contains("changes the model's contract against version 2");
    }

    @Test
    void aJobOnUploadedDataCannotTakeOverABuiltInModel() throws Exception {
        StringBuilder csv = new StringBuilder("a,b,y\n");
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 120; i++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            csv.append(String.format("%.3f,%.3f,%s%n", a, b, a + b > 0 ? "p" : "q"));
        }
        HttpResponse<byte[]> stored =
                client.post("/datasets?target=y", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(stored.statusCode()).as(new String(stored.body())).isEqualTo(201);
        String dataset = HttpTestClient.json(stored).get("id").asString();
        int before = HttpTestClient.json(client.get("/models/breast-cancer-logreg"))
                .get("defaultVersion")
                .asInt();

        HttpResponse<byte[]> started = client.postJson(
                "/jobs",
                "{\"model\": \"breast-cancer-logreg\", \"dataset\": \"" + dataset + "\", \"name\": "
                        + "\"breast-cancer-logreg\", \"promote\": \"always\", \"hyperparameters\": {\"epochs\": 2}}");
        assertThat(started.statusCode()).as(new String(started.body())).isEqualTo(202);
        String id = HttpTestClient.json(started).get("id").asString();
        JsonNode job = null;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            job = HttpTestClient.json(client.get("/jobs/" + id));
            if (List.of("SUCCEEDED", "FAILED", "CANCELLED")
                    .contains(job.get("status").asString())) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("FAILED");
        assertThat(job.get("error").asString()).contains("would change the contract", "input features");
        JsonNode model = HttpTestClient.json(client.get("/models/breast-cancer-logreg"));
        assertThat(model.get("defaultVersion").asInt()).isEqualTo(before);
        HttpResponse<byte[]> readme = client.postJson("/predict", ServingEndToEndTest.BENIGN_ROW);
        assertThat(readme.statusCode())
                .as("the README's 9-feature request: " + new String(readme.body()))
                .isEqualTo(200);
    }

    // ---- 6. small looseness -----------------------------------------------------------------

    @Test
    void versionsArePlainPositiveIntegersAndJsonKeysAreUnique() throws Exception {
        for (String v : List.of("0x1", "+1", "01", "1.0", "1e0", " 1")) {
            HttpResponse<byte[]> r = client.get("/models/mnist-mlp/versions/" + v.replace(" ", "%20"));
            assertRefused(r, 400, "version");
        }
        assertThat(client.get("/models/mnist-mlp/versions/1").statusCode()).isEqualTo(200);
        assertRefused(client.postJson("/predict?version=01", ServingEndToEndTest.BENIGN_ROW), 400, "version");
        assertThat(client.get("/v2/models/mnist-mlp/versions/0x1").statusCode()).isEqualTo(400);

        for (String body :
                List.of("{\"version\": 1.5}", "{\"version\": \"1\"}", "{\"version\": 1.0}", "{\"version\": 0}")) {
            assertRefused(client.put("/models/mnist-mlp/default", body), 422, "version");
        }
        assertThat(client.put("/models/mnist-mlp/default", "{\"version\": 1}").statusCode())
                .isEqualTo(200);

        HttpResponse<byte[]> twice = client.postJson(
                "/predict",
                "{\"model\": \"mnist-dcgan\", \"model\": \"breast-cancer-logreg\", \"features\": "
                        + "[5, 1, 1, 1, 2, 1, 3, 1, 1]}");
        assertRefused(twice, 400, "model");
        HttpResponse<byte[]> oip = client.postJson(
                "/v2/models/breast-cancer-logreg/infer",
                "{\"inputs\": [{\"name\": \"input\", \"name\": \"input\", \"shape\": [1, 9], \"datatype\": \"FP32\", "
                        + "\"data\": [5, 1, 1, 1, 2, 1, 3, 1, 1]}]}");
        assertThat(oip.statusCode()).isEqualTo(400);
        assertRefused(client.put("/models/mnist-mlp/default", "{\"version\": 1, \"version\": 1}"), 400, "version");
    }

    @Test
    void tiffIsTakenAsARawBodyAsInMultipart() throws Exception {
        BufferedImage digit = ImageIO.read(new java.io.ByteArrayInputStream(ServingEndToEndTest.png(0)));
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        assertThat(ImageIO.write(digit, "tiff", tiff)).isTrue();
        HttpResponse<byte[]> raw = client.post("/predict", "image/tiff", tiff.toByteArray());
        HttpResponse<byte[]> multipart =
                client.postFiles("/predict", "image", List.of(tiff.toByteArray()), "image/tiff");
        assertThat(raw.statusCode()).as(new String(raw.body())).isEqualTo(200);
        assertThat(multipart.statusCode()).as(new String(multipart.body())).isEqualTo(200);
        assertThat(HttpTestClient.json(raw)
                        .get("predictions")
                        .get(0)
                        .get("label")
                        .asString())
                .isEqualTo(HttpTestClient.json(multipart)
                        .get("predictions")
                        .get(0)
                        .get("label")
                        .asString())
                .isEqualTo(Integer.toString(TestData.mnistTestLabels()[0]));
        HttpResponse<byte[]> webp = client.post("/predict", "image/webp", tiff.toByteArray());
        assertThat(webp.statusCode()).isEqualTo(415);
        assertThat(new String(webp.body())).contains("image/tiff");
    }
}
