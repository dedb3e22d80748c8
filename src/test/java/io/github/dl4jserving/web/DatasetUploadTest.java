package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.TestData;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Data set uploads against the real server: a CSV table, an IDX pair and a zip of label folders,
 * each checked and stored; bad uploads refused with the row and column named and nothing left on
 * disk; and jobs that train on uploaded data and serve the result.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "dl4j-serving.registry-rescan-interval=1h",
            "dl4j-serving.max-body-size=512KB",
            "dl4j-serving.max-dataset-size=1MB"
        })
class DatasetUploadTest extends RunningServer {
    @TempDir
    static Path models;

    @DynamicPropertySource
    static void modelsDir(DynamicPropertyRegistry registry) throws IOException {
        TestData.copyTree(TestData.MODELS_DIR.resolve("breast-cancer-logreg"), models.resolve("breast-cancer-logreg"));
        registry.add("dl4j-serving.models-dir", models::toString);
        // only the models copied above, not every shipped one
        registry.add("dl4j-serving.seed-models-dir", () -> "");
    }

    private List<String> stored() throws IOException {
        Path dir = models.resolve(".datasets");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private JsonNode waitForJob(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = HttpTestClient.json(client.get("/jobs/" + id));
            if (List.of("SUCCEEDED", "FAILED", "CANCELLED")
                    .contains(job.get("status").asString())) {
                return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + id + " did not finish");
    }

    private static byte[] zip(String... entriesAndImages) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < entriesAndImages.length; i += 2) {
                zip.putNextEntry(new ZipEntry(entriesAndImages[i]));
                zip.write(ServingEndToEndTest.png(Integer.parseInt(entriesAndImages[i + 1])));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static void assertProblem(HttpResponse<byte[]> r, int status, String detailPart) {
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(status);
        assertThat(HttpTestClient.contentType(r)).isEqualTo("application/problem+json");
        assertThat(HttpTestClient.json(r).get("detail").asString()).contains(detailPart);
    }

    @Test
    void aCsvTableTrainsALogisticClassifierThatServesItsOwnFeatures() throws Exception {
        // every cell quoted, CRLF line ends and a BOM, as Python's csv.QUOTE_ALL and Excel write it
        byte[] csv = ("\uFEFF"
                        + TestData.breastCancerCsv("class")
                                .lines()
                                .map(l -> "\"" + l.replace(",", "\",\"") + "\"")
                                .collect(Collectors.joining("\r\n", "", "\r\n")))
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> created = client.post("/datasets?target=class", "text/csv", csv);
        assertThat(created.statusCode()).as(new String(created.body())).isEqualTo(201);
        JsonNode info = HttpTestClient.json(created);
        String id = info.get("id").asString();
        assertThat(created.headers().firstValue("Location")).hasValue("/datasets/" + id);
        assertThat(info.get("kind").asString()).isEqualTo("tabular-csv");
        assertThat(info.get("rows").asInt()).isEqualTo(683);
        assertThat(info.get("classCounts").get("benign").asInt()).isEqualTo(444);
        assertThat(info.get("classCounts").get("malignant").asInt()).isEqualTo(239);
        assertThat(info.get("schema").get("features").size()).isEqualTo(9);
        assertThat(info.get("sha256").asString())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(csv)));
        assertThat(HttpTestClient.json(client.get("/datasets/" + id))
                        .get("rows")
                        .asInt())
                .isEqualTo(683);
        assertThat(HttpTestClient.json(client.get("/datasets")).toString()).contains(id);

        HttpResponse<byte[]> noName =
                client.postJson("/jobs", "{\"model\": \"breast-cancer-logreg\", \"dataset\": \"" + id + "\"}");
        assertThat(HttpTestClient.json(noName).get("field").asString()).isEqualTo("name");
        HttpResponse<byte[]> wrongKind =
                client.postJson("/jobs", "{\"model\": \"mnist-mlp\", \"dataset\": \"" + id + "\", \"name\": \"x\"}");
        assertThat(HttpTestClient.json(wrongKind).get("field").asString()).isEqualTo("dataset");

        String job = HttpTestClient.json(client.postJson(
                        "/jobs",
                        "{\"model\": \"breast-cancer-logreg\", \"dataset\": \"" + id
                                + "\", \"name\": \"bc-upload\", \"hyperparameters\": {\"epochs\": 30}}"))
                .get("id")
                .asString();
        JsonNode done = waitForJob(job);
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("name").asString()).isEqualTo("bc-upload");
        assertThat(done.get("metrics").get("test_accuracy").asDouble()).isGreaterThan(0.93);
        HttpResponse<byte[]> predicted = client.postJson(
                "/predict/bc-upload",
                "{\"features\": {\"clump\": 8, "
                        + "\"size\": 10, \"shape\": 10, \"adhesion\": 8, \"epithelial\": 7, \"nuclei\": 10, \"chromatin\": 9, "
                        + "\"nucleoli\": 7, \"mitoses\": 1}}");
        assertThat(predicted.statusCode()).as(new String(predicted.body())).isEqualTo(200);
        assertThat(HttpTestClient.json(predicted)
                        .get("predictions")
                        .get(0)
                        .get("label")
                        .asString())
                .isEqualTo("malignant");
    }

    @Test
    void aZipOfLabelFoldersTrainsAnImageClassifierWithThoseLabels() throws Exception {
        String[] entries = new String[160];
        int n = 0;
        for (int i = 0; i < 2000 && n < 160; i++) {
            int label = TestData.mnistTestLabels()[i];
            if (label == 3 || label == 7) {
                entries[n++] = (label == 3 ? "three/" : "seven/") + "img" + i + ".png";
                entries[n++] = Integer.toString(i);
            }
        }
        HttpResponse<byte[]> created = client.post("/datasets", "application/zip", zip(entries));
        assertThat(created.statusCode()).as(new String(created.body())).isEqualTo(201);
        JsonNode info = HttpTestClient.json(created);
        assertThat(info.get("kind").asString()).isEqualTo("image-folder");
        assertThat(info.get("rows").asInt()).isEqualTo(80);
        assertThat(info.get("labels").toString()).isEqualTo("[\"seven\",\"three\"]");

        String job = HttpTestClient.json(client.postJson(
                        "/jobs",
                        "{\"model\": \"mnist-softmax\", \"dataset\": \""
                                + info.get("id").asString()
                                + "\", \"name\": \"three-or-seven\", \"hyperparameters\": {\"epochs\": 5, "
                                + "\"batchSize\": 8, \"learningRate\": 0.01}}"))
                .get("id")
                .asString();
        JsonNode done = waitForJob(job);
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        int sevens = 0;
        int asked = 0;
        for (int i = 2000; i < 2300; i++) {
            if (TestData.mnistTestLabels()[i] == 7) {
                asked++;
                HttpResponse<byte[]> r = client.postFiles(
                        "/predict/three-or-seven", "image", List.of(ServingEndToEndTest.png(i)), "image/png");
                assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
                if (HttpTestClient.json(r)
                        .get("predictions")
                        .get(0)
                        .get("label")
                        .asString()
                        .equals("seven")) {
                    sevens++;
                }
            }
        }
        assertThat(sevens).as("%d of %d unseen sevens", sevens, asked).isGreaterThan(asked * 8 / 10);
    }

    @Test
    void anIdxPairIsStoredWithItsClassCounts() throws Exception {
        int count = 100;
        ByteArrayOutputStream images = new ByteArrayOutputStream();
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        try (DataOutputStream img = new DataOutputStream(images);
                DataOutputStream lab = new DataOutputStream(labels)) {
            img.writeInt(0x803);
            img.writeInt(count);
            img.writeInt(28);
            img.writeInt(28);
            lab.writeInt(0x801);
            lab.writeInt(count);
            for (int i = 0; i < count; i++) {
                img.write(TestData.mnistTestImages().pixels()[i]);
                lab.writeByte(TestData.mnistTestLabels()[i]);
            }
        }
        HttpResponse<byte[]> created = client.postParts(
                "/datasets",
                List.of(
                        new HttpTestClient.Part(
                                "images", "images.idx", "application/octet-stream", images.toByteArray()),
                        new HttpTestClient.Part(
                                "labels", "labels.idx", "application/octet-stream", labels.toByteArray())));
        assertThat(created.statusCode()).as(new String(created.body())).isEqualTo(201);
        JsonNode info = HttpTestClient.json(created);
        assertThat(info.get("kind").asString()).isEqualTo("image-idx");
        assertThat(info.get("rows").asInt()).isEqualTo(count);
        int sevens = (int) Arrays.stream(TestData.mnistTestLabels(), 0, count)
                .filter(l -> l == 7)
                .count();
        assertThat(info.get("classCounts").get("7").asInt()).isEqualTo(sevens);

        byte[] shortLabels = Arrays.copyOf(labels.toByteArray(), labels.size() - 1);
        assertProblem(
                client.postParts(
                        "/datasets",
                        List.of(
                                new HttpTestClient.Part(
                                        "images", "i.idx", "application/octet-stream", images.toByteArray()),
                                new HttpTestClient.Part("labels", "l.idx", "application/octet-stream", shortLabels))),
                422,
                "ends before");
        assertProblem(
                client.postParts(
                        "/datasets",
                        List.of(new HttpTestClient.Part(
                                "images", "i.idx", "application/octet-stream", images.toByteArray()))),
                422,
                "both");
    }

    @Test
    void anIdColumnIsNotAFeatureOtherColumnsCanBeIgnoredAndARowKeyIsPointedOut() throws IOException {
        // The shipped CSV's own layout: an id first, then the nine features, then the class.
        List<String> lines = TestData.breastCancerCsv("diagnosis").lines().toList();
        StringBuilder csv = new StringBuilder("ID,row," + lines.get(0) + "\n");
        for (int r = 1; r < lines.size(); r++) {
            csv.append(1000 + r * 7 % 683)
                    .append(',')
                    .append(r)
                    .append(',')
                    .append(lines.get(r))
                    .append('\n');
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);

        // Before: "features": ["ID", "row", ...], and the model trained on it asked for the id.
        JsonNode keyed = HttpTestClient.json(client.post("/datasets?target=diagnosis", "text/csv", bytes));
        assertThat(keyed.get("schema").get("ignored").toString()).isEqualTo("[\"ID\"]");
        assertThat(keyed.get("schema").get("features").toString())
                .doesNotContain("\"ID\"")
                .contains("\"row\"");
        assertThat(keyed.get("schema").get("warnings").get(0).asString()).contains("'row'", "ignore=row");

        JsonNode ignored = HttpTestClient.json(client.post("/datasets?target=diagnosis&ignore=row", "text/csv", bytes));
        assertThat(ignored.get("schema").get("ignored").toString()).isEqualTo("[\"ID\",\"row\"]");
        assertThat(ignored.get("schema").get("features").size()).isEqualTo(9);
        assertThat(ignored.get("schema").has("warnings")).isFalse();

        assertProblem(
                client.post("/datasets?target=diagnosis&ignore=nope", "text/csv", bytes), 422, "no column 'nope'");
    }

    @Test
    void badUploadsAreRefusedWithTheRowAndColumnAndLeaveNothingOnDisk() throws Exception {
        List<String> before = stored();
        HttpResponse<byte[]> ragged =
                client.post("/datasets?target=y", "text/csv", "a,b,y\n1,2,x\n3,4\n".getBytes(StandardCharsets.UTF_8));
        assertProblem(ragged, 422, "Row 2 has 2 cells");
        assertThat(HttpTestClient.json(ragged).get("row").asInt()).isEqualTo(2);

        HttpResponse<byte[]> unclosed = client.post(
                "/datasets?target=y", "text/csv", "a,b,y\n1,2,x\n\"3,4,z\n".getBytes(StandardCharsets.UTF_8));
        assertProblem(unclosed, 422, "Row 2 is not well-formed CSV");
        assertThat(HttpTestClient.json(unclosed).get("row").asInt()).isEqualTo(2);

        HttpResponse<byte[]> text = client.post(
                "/datasets?target=y", "text/csv", "a,b,y\n1,2,x\n3,oops,z\n".getBytes(StandardCharsets.UTF_8));
        assertProblem(text, 422, "Row 2, column 'b': 'oops' is not a number");
        assertThat(HttpTestClient.json(text).get("field").asString()).isEqualTo("b");
        assertThat(HttpTestClient.json(text).get("row").asInt()).isEqualTo(2);

        assertProblem(
                client.post("/datasets?target=label", "text/csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8)),
                422,
                "no column 'label'");
        assertProblem(client.post("/datasets?target=y", "text/csv", new byte[0]), 400, "empty");
        assertProblem(
                client.post("/datasets?target=y", "text/csv", "\n\n".getBytes(StandardCharsets.UTF_8)), 422, "empty");
        assertProblem(
                client.post("/datasets?target=y", "text/csv", "a,y\n1,p\n2,q\n3,r\n".getBytes(StandardCharsets.UTF_8)),
                422,
                "exactly two classes");
        // Before: Spring's "Required parameter 'target' is not present."
        HttpResponse<byte[]> noTarget =
                client.post("/datasets", "text/csv", "a,y\n1,p\n".getBytes(StandardCharsets.UTF_8));
        assertProblem(noTarget, 422, "'target' query parameter");
        assertThat(HttpTestClient.json(noTarget).get("detail").asString()).contains("?target=diagnosis");
        assertThat(HttpTestClient.json(noTarget).get("field").asString()).isEqualTo("target");
        assertProblem(
                client.post("/datasets", "application/zip", zip("../escape.png", "0", "seven/a.png", "1")),
                422,
                "escapes its folder");
        assertProblem(client.post("/datasets", "application/zip", zip("a/b/c.png", "0")), 422, "label folder");
        assertProblem(
                client.post("/datasets", "application/zip", "not a zip".getBytes(StandardCharsets.UTF_8)),
                422,
                "two label folders");
        byte[] huge = ("a,y\n" + "1,p\n".repeat(300_000)).getBytes(StandardCharsets.UTF_8);
        assertThat(client.post("/datasets?target=y", "text/csv", huge).statusCode())
                .as("over 1MB")
                .isEqualTo(413);
        assertThat(client.get("/datasets/nope").statusCode()).isEqualTo(404);
        assertThat(client.get("/datasets/..%2F..%2Fetc").statusCode()).isIn(400, 404);

        assertThat(stored()).as("no half-written data set left behind").isEqualTo(before);
    }

    @Test
    void rawUploadsMayExceedTheBodyLimitUpToTheDatasetLimit() {
        byte[] big = ("a,y\n" + "1,p\n2,q\n".repeat(90_000)).getBytes(StandardCharsets.UTF_8);
        assertThat(big.length).isBetween(512 * 1024, 1024 * 1024);
        HttpResponse<byte[]> created = client.post("/datasets?target=y", "text/csv", big);
        assertThat(created.statusCode()).as(new String(created.body())).isEqualTo(201);
        assertThat(HttpTestClient.json(created).get("rows").asInt()).isEqualTo(180_000);
        assertThat(client.postJson("/predict", "{\"features\": [" + "1,".repeat(300_000) + "1]}")
                        .statusCode())
                .as("other bodies keep max-body-size")
                .isEqualTo(413);
    }
}
