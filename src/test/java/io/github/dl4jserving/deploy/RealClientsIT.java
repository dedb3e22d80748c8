package io.github.dl4jserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.dl4jserving.TestData;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clients against the packaged jar in a child process: every curl block of README.md, run by
 * .ci/readme-examples.sh, examples/python/client.py with Debian's python3-requests, and
 * examples/python/grpc_client.py on the jar's gRPC port with Debian's python3-grpcio. The server
 * gets a copy of the shipped models (the examples train and upload). The examples run from the
 * checkout's root with only what the checkout has: nothing is made for them first, so an example
 * that names a missing file fails here as it would for a new user.
 */
class RealClientsIT {
    @TempDir
    static Path work;

    static Process server;
    static String base;
    static int grpcPort;

    @BeforeAll
    static void start() throws Exception {
        Path models = work.resolve("models");
        TestData.copyTree(Path.of("models"), models);
        int port = PackagedJar.freePort();
        grpcPort = PackagedJar.freePort();
        server = new ProcessBuilder(
                        PackagedJar.java(),
                        "-jar",
                        PackagedJar.path().toString(),
                        "--server.port=" + port,
                        "--dl4j-serving.grpc.port=" + grpcPort,
                        "--dl4j-serving.models-dir=" + models,
                        "--dl4j-serving.data-dir=" + TestData.DATA_DIR.toAbsolutePath())
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
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment()
                .put("DL4J_SERVING_DATA_DIR", TestData.DATA_DIR.toAbsolutePath().toString());
        Process p = builder.start();
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
                Files.createDirectories(work.resolve("blocks")).toString());
        assertThat(out).contains(" failed").contains("0 failed");
        assertThat(out).contains("\"label\":\"7\"").contains("\"prediction\":").contains("\"status\":\"SUCCEEDED\"");
    }

    @Test
    void theGrpcExampleClientGetsItsAnswersFromThePackagedJar() throws Exception {
        String python = TestData.pythonWithGrpc();
        String out =
                run(Path.of("."), 300, python, "examples/python/grpc_client.py", "--target", "localhost:" + grpcPort);
        assertThat(out).contains("32 raw FP32 rows: output FP32 [32, 10], classes [7]", "all gRPC checks passed");
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
                "examples/digit.jpg",
                "--out",
                grid.toString(),
                "--train-examples",
                "500");
        assertThat(out)
                .contains("image examples/digit.jpg: label 7")
                .contains("row: label malignant")
                .contains("generated 16 digits with seed 42")
                .contains("SUCCEEDED: version");
        assertThat(ImageIO.read(grid.toFile()).getWidth()).isGreaterThan(4 * 28);
        assertThat(run(Path.of("."), 60, "python3", "examples/python/client.py", "--help"))
                .as("the whole description, not its first line")
                .contains("and train a model while printing its progress.");
    }
}
