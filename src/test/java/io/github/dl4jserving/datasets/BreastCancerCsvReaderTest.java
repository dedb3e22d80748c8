package io.github.dl4jserving.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jserving.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BreastCancerCsvReaderTest {

    @Test
    void readsAll699RowsWithTheSixteenMissingBareNuclei() throws IOException {
        List<BreastCancerCsvReader.Row> rows = BreastCancerCsvReader.read(TestData.dataDirectory());

        assertThat(rows).hasSize(699);
        assertThat(rows.stream().filter(BreastCancerCsvReader.Row::malignant)).hasSize(241);
        int bareNuclei = BreastCancerCsvReader.FEATURES.indexOf("bare_nuclei");
        assertThat(rows.stream().filter(r -> Double.isNaN(r.features()[bareNuclei])))
                .hasSize(16);
        assertThat(rows.stream()
                        .flatMapToDouble(r -> Arrays.stream(r.features()))
                        .filter(Double::isNaN)
                        .count())
                .isEqualTo(16);
        assertThat(rows.stream()
                        .flatMapToDouble(r -> Arrays.stream(r.features()))
                        .filter(v -> !Double.isNaN(v)))
                .allMatch(v -> v >= 1 && v <= 10);
        assertThat(rows.stream().map(BreastCancerCsvReader.Row::id).distinct()).hasSize(645);
    }

    @Test
    void namesTheLineOfAMalformedRow(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.data");
        Files.writeString(file, "1000025,5,1,1,1,2,1,3,1,1,2\n1002945,5,4,4,5,7,10,3,2,1,3\n");

        assertThatThrownBy(() -> BreastCancerCsvReader.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("class");
    }

    @Test
    void refusesARowWithTheWrongNumberOfColumns(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("short.data");
        Files.writeString(file, "1000025,5,1,1,1,2,1,3,1,2\n");

        assertThatThrownBy(() -> BreastCancerCsvReader.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("expected 11 columns");
    }
}
