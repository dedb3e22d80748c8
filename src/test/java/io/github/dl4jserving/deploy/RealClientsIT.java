package io.github.dl4jserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.dl4jserving.TestData;
import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clients against the packaged jar in a child process: every curl block of README.md, run by
 * .ci/readme-examples.sh, and examples/python/client.py with Debian's python3-requests. The server
 * gets a copy of the shipped models (the examples train and upload); the examples' working
 * directory gets the files they name, made from MNIST test images and the breast-cancer table.
 */
class RealClientsIT {
    @TempDir
    static Path work;

    static Process server;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        Path models = work.resolve("models");
        TestData.copyTree(Path.of("models"), models);
        fixtures(Files.createDirectories(work.resolve("examples")));
        int port = PackagedJar.freePort();
        server = new ProcessBuilder(
                        PackagedJar.java(),
                        "-jar",
                        PackagedJar.path().toString(),
                        "--server.port=" + port,
                        "--dl4j-serving.models-dir=" + models,
                        "--dl4j-serving.data-dir=" + TestData.DATA_DIR.toAbsolutePath(),
                        "--dl4j-serving.training.queue-capacity=8")
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("server.log").toFile())
                .start();
        base = "http://localhost:" + port;
        var ready = PackagedJar.awaitOk(HttpClient.newHttpClient(), base + "/actuator/health/readiness", server);
        assertThat(ready).as("the server became ready").isNotNull();
        assertThat(ready.statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            PackagedJar.stop(server);
        }
    }

    private static String run(Path dir, long timeoutSeconds, String... command) throws Exception {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(timeoutSeconds, TimeUnit.SECONDS))
                .as("finished in time")
                .isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        System.out.println(text);
        assertThat(p.exitValue()).as(text).isZero();
        return text;
    }

    @Test
    void everyCurlExampleInTheReadmeWorks() throws Exception {
        String out = run(
                Path.of("."),
                1200,
                "bash",
                ".ci/readme-examples.sh",
                base,
                work.resolve("examples").toString());
        assertThat(out).contains(" failed").contains("0 failed");
        assertThat(out).contains("\"label\":\"7\"").contains("\"prediction\":").contains("\"status\":\"SUCCEEDED\"");
    }

    @Test
    void thePythonClientClassifiesGeneratesAndTrains() throws Exception {
        Process probe = new ProcessBuilder("python3", "-c", "import requests").start();
        boolean installed = probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        String missing = "python3 with requests is not installed (apt-get install python3-requests)";
        if (System.getenv("DL4J_SERVING_REQUIRE_CLIENTS") != null) {
            assertThat(installed).as(missing + "; .ci/run requires it").isTrue();
        }
        assumeTrue(installed, missing);
        Path grid = work.resolve("grid.png");
        String out = run(
                Path.of("."),
                600,
                "python3",
                "examples/python/client.py",
                "--url",
                base,
                "--image",
                "bench/digit.png",
                "--out",
                grid.toString(),
                "--train-examples",
                "500");
        assertThat(out)
                .contains("image bench/digit.png: label 7")
                .contains("row: label malignant")
                .contains("generated 16 digits with seed 42")
                .contains("SUCCEEDED: version");
        assertThat(ImageIO.read(grid.toFile()).getWidth()).isGreaterThan(4 * 28);
        assertThat(run(Path.of("."), 60, "python3", "examples/python/client.py", "--help"))
                .as("the whole description, not its first line")
                .contains("and train a model while printing its progress.");
    }

    /** The files the README's examples name. */
    static void fixtures(Path dir) throws IOException {
        write(dir.resolve("digit.png"), image(0), "png"); // a 7
        write(dir.resolve("digit.jpg"), image(0), "jpg");
        write(dir.resolve("a.png"), image(1), "png");
        write(dir.resolve("b.jpg"), image(2), "jpg");
        byte[] px = TestData.mnistTestImages().pixels()[0];
        Files.writeString(
                dir.resolve("digit-pixels.json"),
                "{\"pixels\": ["
                        + IntStream.range(0, 784)
                                .mapToObj(i -> Integer.toString(px[i] & 0xFF))
                                .collect(Collectors.joining(","))
                        + "]}");
        Files.writeString(
                dir.resolve("rows.csv"),
                "clump_thickness,uniformity_cell_size,uniformity_cell_shape,"
                        + "marginal_adhesion,single_epithelial_cell_size,bare_nuclei,bland_chromatin,normal_nucleoli,mitoses\n"
                        + "5,1,1,1,2,1,3,1,1\n8,10,10,8,7,10,9,7,1\n");
        Path shipped = Path.of("models", "breast-cancer-logreg", "1");
        Files.copy(shipped.resolve("model.zip"), dir.resolve("model.zip"));
        Files.writeString(
                dir.resolve("model.json"),
                Files.readString(shipped.resolve("model.json")).replaceFirst("\"version\" : \\d+,", ""));
        Files.writeString(dir.resolve("table.csv"), TestData.breastCancerCsv("diagnosis"));
        Files.copy(
                TestData.DATA_DIR.resolve("breast-cancer-wisconsin/breast-cancer-wisconsin.data"),
                dir.resolve("breast-cancer-wisconsin.data"));
        idx(dir, 200);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(dir.resolve("pictures.zip")))) {
            int[] labels = TestData.mnistTestLabels();
            for (int i = 0; i < 400; i++) {
                if (labels[i] == 3 || labels[i] == 7) {
                    zip.putNextEntry(new ZipEntry((labels[i] == 3 ? "three/" : "seven/") + i + ".png"));
                    ImageIO.write(image(i), "png", zip);
                    zip.closeEntry();
                }
            }
        }
    }

    private static BufferedImage image(int index) {
        byte[] px = TestData.mnistTestImages().pixels()[index];
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int p = 0; p < px.length; p++) {
            img.getRaster().setSample(p % 28, p / 28, 0, px[p] & 0xFF);
        }
        return img;
    }

    private static void write(Path file, BufferedImage image, String format) throws IOException {
        assertThat(ImageIO.write(image, format, file.toFile())).isTrue();
    }

    /** The first {@code count} MNIST test images and labels as a gzipped IDX pair. */
    private static void idx(Path dir, int count) throws IOException {
        try (OutputStream f = Files.newOutputStream(dir.resolve("images-idx3-ubyte.gz"));
                DataOutputStream out = new DataOutputStream(new GZIPOutputStream(f))) {
            out.writeInt(0x803);
            out.writeInt(count);
            out.writeInt(28);
            out.writeInt(28);
            for (int i = 0; i < count; i++) {
                out.write(TestData.mnistTestImages().pixels()[i]);
            }
        }
        try (OutputStream f = Files.newOutputStream(dir.resolve("labels-idx1-ubyte.gz"));
                DataOutputStream out = new DataOutputStream(new GZIPOutputStream(f))) {
            out.writeInt(0x801);
            out.writeInt(count);
            for (int i = 0; i < count; i++) {
                out.writeByte(TestData.mnistTestLabels()[i]);
            }
        }
    }
}
