package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.TestData;
import io.github.dl4jserving.datasets.MnistIdxReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/** The whole service on a real port with the shipped models, driven over HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ServingEndToEndTest extends RunningServer {
    static final String MALIGNANT_ROW = "{\"features\": {\"clump_thickness\": 8, \"uniformity_cell_size\": 10, "
            + "\"uniformity_cell_shape\": 10, \"marginal_adhesion\": 8, \"single_epithelial_cell_size\": 7, "
            + "\"bare_nuclei\": 10, \"bland_chromatin\": 9, \"normal_nucleoli\": 7, \"mitoses\": 1}}";
    static final String BENIGN_ROW = "{\"features\": [5, 1, 1, 1, 2, 1, 3, 1, 1]}";

    static byte[] png(int index) {
        MnistIdxReader.IdxImages images = TestData.mnistTestImages();
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = images.pixels()[index];
        for (int p = 0; p < px.length; p++) {
            img.getRaster().setSample(p % 28, p / 28, 0, px[p] & 0xFF);
        }
        return Png.encode(img);
    }

    static String label(int index) {
        return Integer.toString(TestData.mnistTestLabels()[index]);
    }

    @Test
    void keepsAtLeast975PercentAccuracyOnAllTenThousandTestImagesSentAsPngUploads() {
        int correct = 0;
        int batch = 200;
        for (int from = 0; from < 10_000; from += batch) {
            List<byte[]> files = new ArrayList<>();
            for (int i = from; i < from + batch; i++) {
                files.add(png(i));
            }
            HttpResponse<byte[]> response = client.postFiles("/predict", "image", files, "image/png");
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode predictions = HttpTestClient.json(response).get("predictions");
            assertThat(predictions.size()).isEqualTo(batch);
            for (int i = 0; i < batch; i++) {
                if (predictions.get(i).get("label").asString().equals(label(from + i))) {
                    correct++;
                }
            }
        }
        System.out.printf("mnist-mlp on 10,000 PNG uploads: %d correct (%.2f%%)%n", correct, correct / 100.0);
        assertThat(correct).isGreaterThanOrEqualTo(9_750);
    }

    @Test
    void theSoftmaxRegressionServesImagesLikeTheMlpAtAbout92Percent() {
        int correct = 0;
        int n = 2_000;
        for (int from = 0; from < n; from += 250) {
            List<byte[]> files = new ArrayList<>();
            for (int i = from; i < from + 250; i++) {
                files.add(png(i));
            }
            HttpResponse<byte[]> response = client.postFiles("/predict/mnist-softmax", "image", files, "image/png");
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode predictions = HttpTestClient.json(response).get("predictions");
            for (int i = 0; i < 250; i++) {
                if (predictions.get(i).get("label").asString().equals(label(from + i))) {
                    correct++;
                }
            }
        }
        System.out.printf("mnist-softmax on the first %d test PNGs: %d correct%n", n, correct);
        assertThat(correct).isGreaterThanOrEqualTo((int) (0.89 * n));
    }

    @Test
    void theSalaryRegressorAnswersAPredictionFromJsonCsvAndTheOpenInferenceProtocol() {
        HttpResponse<byte[]> json = client.postJson("/predict/salary-polyreg", "{\"features\": {\"level\": 6.5}}");
        assertThat(json.statusCode()).as(new String(json.body())).isEqualTo(200);
        double salary = HttpTestClient.json(json).get("prediction").asDouble();
        // The least-squares degree-4 polynomial through the 10 rows gives 158,862 at level 6.5.
        assertThat(salary).isBetween(150_000.0, 168_000.0);

        HttpResponse<byte[]> csv =
                client.post("/predict/salary-polyreg", "text/csv", "level\n1\n10\n".getBytes(StandardCharsets.UTF_8));
        assertThat(csv.statusCode()).as(new String(csv.body())).isEqualTo(200);
        JsonNode both = HttpTestClient.json(csv).get("predictions");
        assertThat(both.get(0).asDouble()).isBetween(20_000.0, 90_000.0);
        assertThat(both.get(1).asDouble()).isBetween(950_000.0, 1_050_000.0);

        HttpResponse<byte[]> oip = client.postJson(
                "/v2/models/salary-polyreg/infer",
                "{\"inputs\": [{\"name\": "
                        + "\"input\", \"shape\": [1, 1], \"datatype\": \"FP32\", \"data\": [6.5]}]}");
        assertThat(oip.statusCode()).as(new String(oip.body())).isEqualTo(200);
        assertThat(HttpTestClient.json(oip)
                        .get("outputs")
                        .get(0)
                        .get("data")
                        .get(0)
                        .asDouble())
                .isCloseTo(salary, Offset.offset(1.0));

        HttpResponse<byte[]> outOfRange = client.postJson("/predict/salary-polyreg", "{\"features\": {\"level\": 11}}");
        assertThat(outOfRange.statusCode()).isEqualTo(422);
        assertThat(HttpTestClient.json(outOfRange).get("detail").asString()).contains("level");
    }

    /**
     * With dynamic batching a request may share a forward pass with others. Each must still get its
     * own answer: the same labels in the same order as when it ran alone, and the same scores up to
     * float rounding (a matrix product over 16 rows sums in another order than over one).
     */
    @Test
    void concurrentRequestsGetTheSameAnswersAsSequentialOnes() throws Exception {
        int n = 160;
        List<JsonNode> sequential = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sequential.add(HttpTestClient.json(client.post("/predict", "image/png", png(i))));
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<JsonNode>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> HttpTestClient.json(client.post("/predict", "image/png", png(index)))));
            }
            for (int i = 0; i < n; i++) {
                JsonNode alone = sequential.get(i).get("predictions").get(0);
                JsonNode together = futures.get(i).get().get("predictions").get(0);
                assertThat(together.get("label").asString())
                        .as("request %d", i)
                        .isEqualTo(alone.get("label").asString());
                for (int k = 0; k < 3; k++) {
                    assertThat(together.get("top").get(k).get("label").asString())
                            .as("request %d top %d", i, k)
                            .isEqualTo(alone.get("top").get(k).get("label").asString());
                    assertThat(together.get("top").get(k).get("score").asDouble())
                            .as("request %d top %d", i, k)
                            .isCloseTo(alone.get("top").get(k).get("score").asDouble(), Offset.offset(1e-5));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void classifiesAMultipartUploadAsCurlSendsIt() {
        HttpResponse<byte[]> response = client.postFiles("/predict", "image", List.of(png(0)), "image/png");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = HttpTestClient.json(response);
        assertThat(body.get("model").asString()).isEqualTo("mnist-mlp");
        assertThat(body.get("version").asInt()).isPositive();
        JsonNode p = body.get("predictions").get(0);
        assertThat(p.get("label").asString()).isEqualTo(label(0));
        assertThat(p.get("top").size()).isEqualTo(3);
        assertThat(p.get("top").get(0).get("score").asDouble())
                .isEqualTo(p.get("score").asDouble());
        assertThat(p.get("top").get(1).get("score").asDouble())
                .isLessThanOrEqualTo(p.get("score").asDouble());
    }

    private static String topLabel(HttpResponse<byte[]> r) {
        assertThat(r.statusCode())
                .as(new String(r.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        return HttpTestClient.json(r).get("predictions").get(0).get("label").asString();
    }

    @Test
    void aPhoneJpegStoredSidewaysWithExifOrientation6IsReadUprightInEveryForm() throws IOException {
        // A "3" whose sideways pixels, read without the tag, are not a 3: the case a phone's portrait photo hits.
        byte[] sideways = null;
        for (int i = 0; i < 2_000 && sideways == null; i++) {
            if (label(i).equals("3")) {
                byte[] bare = TestData.jpeg(TestData.storedSideways(TestData.paperPhoto(i), 6));
                if (!topLabel(client.post("/predict", "image/jpeg", bare)).equals("3")
                        && topLabel(client.post("/predict", "image/jpeg", TestData.jpeg(TestData.paperPhoto(i))))
                                .equals("3")) {
                    sideways = bare;
                }
            }
        }
        assertThat(sideways).as("a 3 that is misread on its side").isNotNull();
        byte[] tagged = TestData.withExifOrientation(sideways, 6);
        String b64 = Base64.getEncoder().encodeToString(tagged);

        assertThat(topLabel(client.postFiles("/predict", "image", List.of(tagged), "image/jpeg")))
                .isEqualTo("3");
        assertThat(topLabel(client.post("/predict", "image/jpeg", tagged))).isEqualTo("3");
        assertThat(topLabel(client.postJson("/predict", "{\"image\": \"data:image/jpeg;base64," + b64 + "\"}")))
                .isEqualTo("3");
        JsonNode oip = HttpTestClient.json(client.postJson(
                "/v2/models/mnist-mlp/infer",
                "{\"inputs\": [{\"name\": " + "\"image\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"" + b64
                        + "\"]}]}"));
        JsonNode probabilities = oip.get("outputs").get(0).get("data");
        int best = 0;
        for (int d = 1; d < 10; d++) {
            best = probabilities.get(d).asDouble() > probabilities.get(best).asDouble() ? d : best;
        }
        assertThat(best).isEqualTo(3);
    }

    @Test
    void classifiesRawBase64AndPixelBodiesAlike() {
        String expected = label(1);
        HttpResponse<byte[]> raw = client.post("/predict/mnist-mlp?k=5", "image/png", png(1));
        String b64 = Base64.getEncoder().encodeToString(png(1));
        HttpResponse<byte[]> json = client.postJson("/predict", "{\"image\": \"data:image/png;base64," + b64 + "\"}");
        byte[] px = TestData.mnistTestImages().pixels()[1];
        String pixels = IntStream.range(0, 784)
                .mapToObj(i -> Integer.toString(px[i] & 0xFF))
                .collect(Collectors.joining(",", "[", "]"));
        HttpResponse<byte[]> pixelBody = client.postJson("/predict", "{\"pixels\": " + pixels + "}");
        HttpResponse<byte[]> batch = client.postJson(
                "/predict", "{\"instances\": [{\"image\": \"" + b64 + "\"}, {\"pixels\": " + pixels + "}]}");

        for (HttpResponse<byte[]> r : List.of(raw, json, pixelBody)) {
            assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
            assertThat(HttpTestClient.json(r)
                            .get("predictions")
                            .get(0)
                            .get("label")
                            .asString())
                    .isEqualTo(expected);
        }
        assertThat(HttpTestClient.json(raw).get("predictions").get(0).get("top").size())
                .isEqualTo(5);
        assertThat(HttpTestClient.json(batch).get("predictions").size()).isEqualTo(2);
    }

    @Test
    void classifiesTableRowsAsJsonAndCsv() {
        HttpResponse<byte[]> malignant = client.postJson("/predict", MALIGNANT_ROW);
        HttpResponse<byte[]> benign = client.postJson("/predict?threshold=0.7", BENIGN_ROW);
        String csv = "clump_thickness,uniformity_cell_size,uniformity_cell_shape,marginal_adhesion,"
                + "single_epithelial_cell_size,bare_nuclei,bland_chromatin,normal_nucleoli,mitoses\n"
                + "5,1,1,1,2,1,3,1,1\n8,10,10,8,7,10,9,7,1\n";
        HttpResponse<byte[]> batch =
                client.post("/predict/breast-cancer-logreg", "text/csv", csv.getBytes(StandardCharsets.UTF_8));

        JsonNode m = HttpTestClient.json(malignant);
        assertThat(m.get("model").asString()).isEqualTo("breast-cancer-logreg");
        assertThat(m.get("predictions").get(0).get("label").asString()).isEqualTo("malignant");
        assertThat(m.get("predictions").get(0).get("probability").asDouble()).isGreaterThan(0.9);
        assertThat(m.get("predictions").get(0).get("threshold").asDouble()).isEqualTo(0.5);
        JsonNode b = HttpTestClient.json(benign).get("predictions").get(0);
        assertThat(b.get("label").asString()).isEqualTo("benign");
        assertThat(b.get("probability").asDouble()).isLessThan(0.1);
        assertThat(b.get("threshold").asDouble()).isEqualTo(0.7);
        assertThat(HttpTestClient.json(batch).get("predictions"))
                .extracting(p -> p.get("label").asString())
                .containsExactly("benign", "malignant");

        // What Python's csv.writer(quoting=csv.QUOTE_ALL) writes, from a file saved with a BOM
        String quoted = "\uFEFF"
                + csv.lines()
                        .map(l -> "\"" + l.replace(",", "\",\"") + "\"")
                        .collect(Collectors.joining("\r\n", "", "\r\n"));
        HttpResponse<byte[]> quotedBatch =
                client.post("/predict/breast-cancer-logreg", "text/csv", quoted.getBytes(StandardCharsets.UTF_8));
        assertThat(quotedBatch.statusCode())
                .as(new String(quotedBatch.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        assertThat(HttpTestClient.json(quotedBatch).get("predictions"))
                .extracting(p -> p.get("label").asString())
                .containsExactly("benign", "malignant");
    }

    @Test
    void generatesTheSameDigitsForTheSameSeed() throws IOException {
        HttpResponse<byte[]> first = client.postJson("/predict/mnist-dcgan", "{\"count\": 4, \"seed\": 42}");
        HttpResponse<byte[]> again = client.postJson("/predict/mnist-dcgan", "{\"count\": 4, \"seed\": 42}");
        HttpResponse<byte[]> other = client.postJson("/predict/mnist-dcgan", "{\"count\": 4, \"seed\": 43}");

        assertThat(first.statusCode()).as(new String(first.body())).isEqualTo(200);
        JsonNode body = HttpTestClient.json(first);
        assertThat(body.get("images").size()).isEqualTo(4);
        assertThat(body.get("seed").asLong()).isEqualTo(42);
        assertThat(HttpTestClient.json(again).get("images")).isEqualTo(body.get("images"));
        assertThat(HttpTestClient.json(other).get("images")).isNotEqualTo(body.get("images"));
        BufferedImage tile = ImageIO.read(new ByteArrayInputStream(
                Base64.getDecoder().decode(body.get("images").get(0).asString())));
        assertThat(tile.getWidth()).isEqualTo(28);
        assertThat(tile.getHeight()).isEqualTo(28);
    }

    @Test
    void drawsAPngGridForBrowsersAndForAcceptImagePng() throws IOException {
        HttpResponse<byte[]> get = client.get("/generate?count=16&seed=42");
        HttpResponse<byte[]> post =
                client.postJson("/predict/mnist-dcgan?scale=4", "{\"count\": 16, \"seed\": 42}", "Accept", "image/png");
        HttpResponse<byte[]> unscaled =
                client.postJson("/predict/mnist-dcgan", "{\"count\": 16, \"seed\": 42}", "Accept", "image/png");
        StringBuilder z = new StringBuilder("{\"z\": [");
        for (int r = 0; r < 3; r++) {
            double[] row = new double[100];
            Arrays.fill(row, r * 0.5 - 0.5);
            z.append(r > 0 ? "," : "").append(Arrays.toString(row));
        }
        HttpResponse<byte[]> explicit =
                client.postJson("/predict/mnist-dcgan", z.append("]}").toString());

        assertThat(HttpTestClient.contentType(get)).startsWith("image/png");
        assertThat(post.body()).isEqualTo(get.body());
        BufferedImage grid = ImageIO.read(new ByteArrayInputStream(get.body()));
        // a browser's grid is drawn 4 pixels per pixel by default; the API's at 1 unless asked
        assertThat(grid.getWidth()).isEqualTo(4 * (4 * 28 + 5 * Png.GAP));
        assertThat(grid.getHeight()).isEqualTo(4 * (4 * 28 + 5 * Png.GAP));
        BufferedImage small = ImageIO.read(new ByteArrayInputStream(unscaled.body()));
        assertThat(small.getWidth()).isEqualTo(4 * 28 + 5 * Png.GAP);
        for (int y = 0; y < small.getHeight(); y += 7) {
            for (int x = 0; x < small.getWidth(); x += 5) {
                assertThat(grid.getRaster().getSample(4 * x + 3, 4 * y + 2, 0))
                        .isEqualTo(small.getRaster().getSample(x, y, 0));
            }
        }
        assertThat(client.get("/generate?count=4&scale=9").statusCode()).isEqualTo(422);
        assertThat(HttpTestClient.json(explicit).get("images").size()).isEqualTo(3);
        assertThat(HttpTestClient.json(explicit).get("seed").isNull()).isTrue();
    }

    @Test
    void listsModelsAndVersionsWithoutNetworkInternals() {
        JsonNode models = HttpTestClient.json(client.get("/models"));
        assertThat(models)
                .extracting(m -> m.get("name").asString())
                .contains("breast-cancer-logreg", "mnist-dcgan", "mnist-mlp");

        JsonNode mlp = HttpTestClient.json(client.get("/models/mnist-mlp"));
        int version = mlp.get("defaultVersion").asInt();
        JsonNode descriptor = HttpTestClient.json(client.get("/models/mnist-mlp/versions/" + version));
        assertThat(descriptor.get("kind").asString()).isEqualTo("image-classifier");
        assertThat(descriptor.get("input").get("image").get("width").asInt()).isEqualTo(28);
        assertThat(descriptor.get("labels").size()).isEqualTo(10);
        assertThat(descriptor.get("metrics").get("test_accuracy").asDouble()).isGreaterThanOrEqualTo(0.98);
        assertThat(descriptor.get("provenance").get("datasetSha256").size()).isEqualTo(4);
        assertThat(descriptor.get("provenance").get("dl4jVersion").asString()).isEqualTo("1.0.0-M2.1");
    }

    @Test
    void reportsModelsAndFreeSpaceInHealthDetails() {
        JsonNode health = HttpTestClient.json(client.get("/actuator/health"));

        assertThat(health.get("status").asString()).isEqualTo("UP");
        JsonNode registry = health.get("components").get("modelRegistry").get("details");
        assertThat(registry.get("models").has("mnist-mlp")).isTrue();
        assertThat(registry.get("unavailable").isArray()).isTrue();
        JsonNode disk = health.get("components").get("diskSpace");
        assertThat(disk.get("details").get("free").asLong()).isPositive();
        assertThat(disk.toString()).as("no file system path in health details").doesNotContain("/");
    }
}
