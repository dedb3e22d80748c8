package io.github.dl4jserving.datasets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.dl4jserving.datasets.internal.DigitImagePreprocessor;
import io.github.dl4jserving.datasets.internal.ImageDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing (Jazzer) of what reads untrusted bytes: image decoding and preparation,
 * the CSV table reader and the IDX reader. Each may refuse its input only with its own documented
 * exception; anything else (a RuntimeException, an OutOfMemoryError, a hang) is a finding. Without
 * JAZZER_FUZZ=1 each test replays its corpus in src/test/resources/.../ReadersFuzzTestInputs;
 * .ci/run fuzzes each for a bounded time.
 */
class ReadersFuzzTest {
    private static final ImageDecoder DECODER = new ImageDecoder(512);

    @FuzzTest(maxDuration = "5s")
    void imagePreparation(byte[] data) {
        try {
            new DigitImagePreprocessor().prepare(DECODER.decode(data, new PixelBudget(1L << 20, "fuzz")));
        } catch (UnreadableImageException | NoDigitFoundException expected) {
            // refused with a clear message: fine
        }
    }

    @FuzzTest(maxDuration = "5s")
    void csvTable(byte[] data) {
        try {
            CsvTable table = CsvTable.parse(data, 1000, 100);
            for (String column : table.header()) {
                table.column(column);
                table.numericColumn(column);
            }
        } catch (InvalidDatasetException expected) {
            // refused, naming the row or column: fine
        }
    }

    @FuzzTest(maxDuration = "5s")
    void idxFiles(byte[] data) throws IOException {
        Path file = Files.createTempFile("fuzz", ".idx");
        try {
            Files.write(file, data);
            try {
                MnistIdxReader.readImages(file);
            } catch (IOException expected) {
                // not an image file, or a header it does not fill: fine
            }
            try {
                MnistIdxReader.readLabels(file);
            } catch (IOException expected) {
                // likewise
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
