package io.github.dl4jserving.training.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.TestData;
import io.github.dl4jserving.datasets.DataDirectory;
import io.github.dl4jserving.datasets.DatasetFile;
import io.github.dl4jserving.datasets.MnistIdxReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The judge's shipped statistics of the MNIST test digits, and the fallback for any other file. */
class TestStatisticsTest {
    private static final String JUDGE = judgeSha256();

    private static String judgeSha256() {
        try {
            return DataDirectory.sha256(GeneratorJudge.shippedBytes(GeneratorJudge.RESOURCE));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theShippedStatisticsAreTheShippedJudgesOfTheMnistTestFileAndOfNothingElse() throws Exception {
        Optional<TestStatistics> shipped = TestStatistics.shipped(JUDGE, DatasetFile.MNIST_TEST_IMAGES.sha256());
        assertThat(shipped).isPresent();
        assertThat(shipped.get().mean().shape()).containsExactly(128);
        assertThat(shipped.get().covariance().shape()).containsExactly(128, 128);
        assertThat(shipped.get()
                        .covariance()
                        .sub(shipped.get().covariance().transpose())
                        .amaxNumber()
                        .doubleValue())
                .as("a covariance is symmetric")
                .isLessThan(1e-9);
        assertThat(TestStatistics.shipped(JUDGE, "0".repeat(64)))
                .as("another test file")
                .isEmpty();
        assertThat(TestStatistics.shipped("1".repeat(64), DatasetFile.MNIST_TEST_IMAGES.sha256()))
                .as("a judge trained again")
                .isEmpty();
        assertThat(DataDirectory.sha256(TestData.dataDirectory().resolve(DatasetFile.MNIST_TEST_IMAGES)))
                .isEqualTo(DatasetFile.MNIST_TEST_IMAGES.sha256());
    }

    @Test
    void statisticsReadBackAsWritten() throws Exception {
        INDArray mean = Nd4j.rand(DataType.DOUBLE, 5);
        INDArray covariance = Nd4j.rand(DataType.DOUBLE, 5, 5);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new TestStatistics(mean, covariance).write(bytes, "j", "t");
        TestStatistics back = TestStatistics.read(new ByteArrayInputStream(bytes.toByteArray()), "j", "t")
                .orElseThrow();
        assertThat(back.mean()).isEqualTo(mean);
        assertThat(back.covariance()).isEqualTo(covariance);
    }

    @Test
    void anotherTestFileHasItsStatisticsComputed(@TempDir Path dir) throws Exception {
        MnistIdxReader.IdxImages mnist = TestData.mnistTestImages();
        Path file = dir.resolve("some-digits-idx3-ubyte.gz");
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(0x803);
            out.writeInt(40);
            out.writeInt(28);
            out.writeInt(28);
            for (int i = 0; i < 40; i++) {
                out.write(mnist.pixels()[i]);
            }
        }
        TestStatistics computed = GeneratorJudge.forTestImages(file).testStatistics();
        TestStatistics shipped = TestStatistics.shipped(JUDGE, DatasetFile.MNIST_TEST_IMAGES.sha256())
                .orElseThrow();
        assertThat(computed.mean()).isNotEqualTo(shipped.mean());
        assertThat(computed.mean()
                        .sub(GeneratorJudge.of(MnistIdxReader.readImages(file))
                                .testStatistics()
                                .mean())
                        .amaxNumber()
                        .doubleValue())
                .isLessThan(1e-9);
    }
}
