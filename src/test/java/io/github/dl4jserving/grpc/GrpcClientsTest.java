package io.github.dl4jserving.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's gRPC clients against the running service: the Python one with Debian's python3-grpcio
 * and python3-grpc-tools (stubs compiled from the service's proto at start), the wire contract
 * check, whose message classes come from the protocol's specification instead, and the Java one run
 * from its source. .ci/run installs the Python packages and requires these tests to run.
 */
class GrpcClientsTest extends RunningGrpcServer {
    static String python;

    @BeforeAll
    static void findPython() throws Exception {
        python = TestData.pythonWithGrpc();
    }

    @Test
    void theExampleClientGetsEveryAnswerItExpects() throws Exception {
        String out = run(
                python,
                "examples/python/grpc_client.py",
                "--target",
                "localhost:" + GRPC_PORT,
                "--image",
                "examples/digit.png",
                "--key",
                KEY);
        assertThat(out)
                .contains("live: True, ready: True")
                .contains("inputs {'input': ('FP32', [-1, 784]), 'image': ('BYTES', [-1])}")
                .containsPattern("image digit.png: [0-9.e-]+:7:7 \\(score:class:label\\)")
                .contains("32 raw FP32 rows: output FP32 [32, 10], classes [7]")
                .contains("wrong shape: INVALID_ARGUMENT: The input has 783 values")
                .contains("unknown model: NOT_FOUND: There is no model named 'no-such-model'")
                .contains("missing key: UNAUTHENTICATED: This request needs the API key")
                .contains("all gRPC checks passed");
    }

    @Test
    void anIndependentDefinitionOfTheProtocolReadsTheSameWire() throws Exception {
        String out =
                run(python, "src/test/python/oip_wire_contract.py", "--target", "localhost:" + GRPC_PORT, "--key", KEY);
        assertThat(out)
                .containsPattern("wire contract: \\d+ fields and 6 methods match the protocol")
                .contains("infer id wire-1")
                .contains("wire contract checks passed");
    }

    @Test
    void theJavaExampleRunsFromItsSourceOnTheProjectsClasspath() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String out = run(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "examples/java/GrpcClient.java",
                "localhost:" + GRPC_PORT,
                KEY);
        assertThat(out)
                .contains("mnist-mlp versions [")
                .contains("input FP32 [-1, 784]")
                .containsPattern("digit.png: [0-9.E-]+:7:7")
                .containsPattern("a blank row, raw FP32 \\[1, 10]:( [01]\\.\\d{3}){10}");
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished in time").isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        System.out.println(text);
        assertThat(p.exitValue()).as(text).isZero();
        return text;
    }
}
