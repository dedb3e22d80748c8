package io.github.dl4jserving.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.TestData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Photos in a data set zip are turned upright by their EXIF orientation before they are prepared. */
class DatasetZipOrientationTest {
    @TempDir
    Path models;

    /** A zip of the first ten test digits, each stored as {@code orientation} says, tagged with it or not. */
    private byte[][] stored(int orientation, boolean tagged) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            byte[] file = TestData.jpeg(TestData.storedSideways(TestData.paperPhoto(i), orientation));
            entries.put(
                    (i % 2 == 0 ? "even" : "odd") + "/" + i + ".jpg",
                    tagged ? TestData.withExifOrientation(file, orientation) : file);
        }
        DatasetStore store = new DatasetStore(models, 4096, 1L << 30, 50_000_000);
        DatasetInfo info = store.uploadZip(TestData.zip(entries));
        return store.images(info.id()).images().pixels();
    }

    private static double meanDifference(byte[][] a, byte[][] b) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            for (int p = 0; p < a[i].length; p++) {
                sum += Math.abs((a[i][p] & 0xFF) - (b[i][p] & 0xFF));
                n++;
            }
        }
        return sum / n;
    }

    @Test
    void aPhoneJpegInAZipIsPreparedUpright() throws IOException {
        byte[][] upright = stored(1, false);
        byte[][] tagged = stored(6, true);
        byte[][] untagged = stored(6, false);

        double taggedOff = meanDifference(upright, tagged);
        double untaggedOff = meanDifference(upright, untagged);
        System.out.printf(
                "mean pixel difference from upright: tagged %.2f, sideways without the tag %.2f%n",
                taggedOff, untaggedOff);
        assertThat(taggedOff).isLessThan(3);
        assertThat(untaggedOff).isGreaterThan(5 * taggedOff);
    }
}
