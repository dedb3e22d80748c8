package io.github.dl4jserving.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jserving.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistIdxReaderTest {

    @Test
    void readsTheGzippedTestSplitWithThePublishedLabelCounts() throws IOException {
        DataDirectory data = TestData.dataDirectory();
        MnistIdxReader.IdxImages images = MnistIdxReader.readImages(data.resolve(DatasetFile.MNIST_TEST_IMAGES));
        int[] labels = MnistIdxReader.readLabels(data.resolve(DatasetFile.MNIST_TEST_LABELS));

        assertThat(images.count()).isEqualTo(10_000);
        assertThat(images.rows()).isEqualTo(28);
        assertThat(images.cols()).isEqualTo(28);
        int[] counts = new int[10];
        for (int label : labels) {
            counts[label]++;
        }
        assertThat(counts).containsExactly(980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009);
        // MNIST is white ink on black: the corners are background, the centre has ink in most digits.
        assertThat(images.scaled(0)[0]).isZero();
        assertThat(max(images.scaled(0))).isEqualTo(1f);
    }

    @Test
    void readsRawIdxFilesExactlyLikeGzippedOnes(@TempDir Path dir) throws IOException {
        Path gz = TestData.dataDirectory().resolve(DatasetFile.MNIST_TEST_LABELS);
        Path raw = dir.resolve("labels.idx");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            Files.copy(in, raw);
        }

        assertThat(MnistIdxReader.readLabels(raw)).isEqualTo(MnistIdxReader.readLabels(gz));
    }

    @Test
    void rejectsAFileThatEndsBeforeItsDeclaredCount(@TempDir Path dir) throws IOException {
        Path gz = TestData.dataDirectory().resolve(DatasetFile.MNIST_TEST_IMAGES);
        byte[] all;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            all = in.readAllBytes();
        }
        Path truncated = dir.resolve("truncated.idx");
        Files.write(truncated, Arrays.copyOf(all, 16 + 784 * 3 + 100));

        assertThatThrownBy(() -> MnistIdxReader.readImages(truncated))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ends before");
    }

    @Test
    void rejectsALabelFileGivenAsImages() {
        Path labels = TestData.dataDirectory().resolve(DatasetFile.MNIST_TEST_LABELS);

        assertThatThrownBy(() -> MnistIdxReader.readImages(labels))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("magic 0x801");
    }

    @Test
    void rejectsAHeaderThatClaimsAbsurdDimensions(@TempDir Path dir) throws IOException {
        Path bomb = dir.resolve("bomb.idx");
        Files.write(bomb, new byte[] {0, 0, 8, 3, 0x7f, -1, -1, -1, 0, 0, 0, 28, 0, 0, 0, 28});

        assertThatThrownBy(() -> MnistIdxReader.readImages(bomb))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("implausible");
    }

    private static float max(float[] values) {
        float m = 0;
        for (float v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}
