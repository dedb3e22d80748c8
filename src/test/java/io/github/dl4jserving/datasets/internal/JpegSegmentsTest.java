package io.github.dl4jserving.datasets.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.TestData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The EXIF orientation read from a JPEG's bytes, for the libjpeg-turbo path. */
class JpegSegmentsTest {
    private static byte[] jpeg() throws IOException {
        return TestData.jpeg(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB));
    }

    @Test
    void readsTheOrientationInEitherByteOrder() throws IOException {
        for (int o = 1; o <= 8; o++) {
            byte[] motorola = TestData.withExifOrientation(jpeg(), o);
            assertThat(JpegSegments.exifOrientation(motorola)).isEqualTo(o);
            assertThat(JpegSegments.exifOrientation(intel(motorola))).isEqualTo(o);
        }
    }

    @Test
    void aJpegWithoutExifOrWithADamagedOneIsUpright() throws IOException {
        assertThat(JpegSegments.exifOrientation(jpeg())).isEqualTo(1);
        byte[] exif = TestData.withExifOrientation(jpeg(), 6);
        byte[] farOffset = exif.clone();
        farOffset[16] = 0x7F; // IFD0 offset far beyond the segment
        assertThat(JpegSegments.exifOrientation(farOffset)).isEqualTo(1);
        byte[] badValue = exif.clone();
        badValue[31] = 9; // not an orientation
        assertThat(JpegSegments.exifOrientation(badValue)).isEqualTo(1);
        assertThat(JpegSegments.exifOrientation(Arrays.copyOf(exif, 20))).isEqualTo(1);
    }

    /**
     * The same EXIF segment little-endian: TestData writes "MM", offset 8, one entry (tag 0x0112,
     * type 3, count 1, value) from byte 10 of the segment's TIFF header.
     */
    private static byte[] intel(byte[] motorola) {
        byte[] b = motorola.clone();
        int tiff = 4 + 2 + 6; // SOI, APP1 marker and length, "Exif\0\0"
        b[tiff] = 'I';
        b[tiff + 1] = 'I';
        swap(b, tiff + 2, 2);
        swap(b, tiff + 4, 4);
        swap(b, tiff + 8, 2); // entry count
        swap(b, tiff + 10, 2); // tag
        swap(b, tiff + 12, 2); // type
        swap(b, tiff + 14, 4); // count
        swap(b, tiff + 18, 2); // value
        return b;
    }

    private static void swap(byte[] b, int at, int size) {
        for (int i = 0; i < size / 2; i++) {
            byte t = b[at + i];
            b[at + i] = b[at + size - 1 - i];
            b[at + size - 1 - i] = t;
        }
    }
}
