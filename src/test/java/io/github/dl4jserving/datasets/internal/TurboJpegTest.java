package io.github.dl4jserving.datasets.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.dl4jserving.TestData;
import io.github.dl4jserving.datasets.PixelBudget;
import io.github.dl4jserving.datasets.PixelBudgetExceededException;
import io.github.dl4jserving.datasets.UnreadableImageException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JPEGs through libjpeg-turbo (Debian's libturbojpeg-java), as the service decodes them when it is
 * installed: reduced scale, grey, EXIF orientation, budgets, and ImageIO for what it does not take.
 * In CI ({@code DL4J_SERVING_REQUIRE_CLIENTS}) a missing binding fails these tests instead of
 * skipping them.
 */
class TurboJpegTest {
    private ImageDecoder turbo;
    private final ImageDecoder imageIo = new ImageDecoder(20_000, ImageDecoder.DECODE_CPU_NANOS, false);

    @BeforeEach
    void binding() {
        if (System.getenv("DL4J_SERVING_REQUIRE_CLIENTS") != null) {
            assertThat(TurboJpeg.available())
                    .as(TurboJpeg.description() + "; .ci/run installs libturbojpeg-java")
                    .isTrue();
        }
        assumeTrue(TurboJpeg.available(), TurboJpeg.description());
        turbo = new ImageDecoder(20_000, ImageDecoder.DECODE_CPU_NANOS, true);
    }

    private static PixelBudget unlimited() {
        return new PixelBudget(Long.MAX_VALUE, "none");
    }

    @Test
    void saysWhichDecoderIsInUse() {
        assertThat(ImageDecoder.jpegDecoder()).startsWith("libjpeg-turbo (").contains("libturbojpeg.so");
    }

    @Test
    void aTwelveMegapixelPhotoIsDecodedAtAnEighthOfItsSizeToTheSameGreyAsImageIoReads() throws IOException {
        BufferedImage photo = new BufferedImage(4032, 3024, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = photo.createGraphics();
        g.setColor(new Color(230, 220, 200));
        g.fillRect(0, 0, 4032, 3024);
        g.setColor(new Color(20, 30, 120));
        g.fillRect(1000, 800, 800, 1200);
        g.dispose();
        byte[] jpeg = TestData.jpeg(photo);

        BufferedImage fast = turbo.decode(jpeg, unlimited());
        BufferedImage slow = imageIo.decode(jpeg, unlimited());

        // the smallest of its scales that leaves 95% of the preparation's 512 pixels
        assertThat(fast.getWidth()).isEqualTo(504);
        assertThat(fast.getHeight()).isEqualTo(378);
        assertThat(fast.getProperty(TurboJpeg.LUMA)).isEqualTo(Boolean.TRUE);
        // the same place in both, as grey levels: the paper and the ink
        for (double[] at : new double[][] {{0.1, 0.1}, {0.35, 0.45}}) {
            assertThat(luma(fast, at[0], at[1]))
                    .isCloseTo(luma(slow, at[0], at[1]), org.assertj.core.data.Offset.offset(4.0));
        }
        assertThat(luma(fast, 0.35, 0.45)).isLessThan(60);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void turnsAJpegUprightByItsExifOrientation(int orientation) throws IOException {
        BufferedImage upright = ImageDecoderTest.quadrants();
        byte[] jpeg =
                TestData.withExifOrientation(TestData.jpeg(TestData.storedSideways(upright, orientation)), orientation);

        BufferedImage decoded = turbo.decode(jpeg, unlimited());

        assertThat(decoded.getProperty(TurboJpeg.LUMA))
                .as("read by libjpeg-turbo")
                .isEqualTo(Boolean.TRUE);
        assertThat(decoded.getWidth()).isEqualTo(64);
        assertThat(decoded.getHeight()).isEqualTo(32);
        for (double[] at : new double[][] {{0.25, 0.25}, {0.75, 0.25}, {0.25, 0.75}, {0.75, 0.75}}) {
            Color want = new Color(upright.getRGB((int) (at[0] * 64), (int) (at[1] * 32)));
            double wantLuma = 0.299 * want.getRed() + 0.587 * want.getGreen() + 0.114 * want.getBlue();
            assertThat(luma(decoded, at[0], at[1]))
                    .as("orientation %d at %s", orientation, Arrays.toString(at))
                    .isCloseTo(wantLuma, org.assertj.core.data.Offset.offset(20.0));
        }
    }

    @Test
    void chargesTheDeclaredPixelsBeforeDecoding() throws IOException {
        byte[] jpeg = TestData.jpeg(new BufferedImage(2000, 1000, BufferedImage.TYPE_INT_RGB));

        assertThatThrownBy(() -> turbo.decode(jpeg, new PixelBudget(1_000_000, "limit")))
                .isInstanceOf(PixelBudgetExceededException.class);
    }

    @Test
    void aCmykJpegGoesToImageIo() throws IOException {
        WritableRaster cmyk = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 40, 30, 4, null);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                cmyk.setPixel(x, y, new int[] {0, 0, 0, x < 20 ? 255 : 0});
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(cmyk, null, null), null);
        }
        writer.dispose();

        BufferedImage decoded = turbo.decode(out.toByteArray(), unlimited());

        assertThat(decoded.getProperty(TurboJpeg.LUMA))
                .as("not read by libjpeg-turbo")
                .isNotEqualTo(Boolean.TRUE);
        assertThat(decoded.getWidth()).isEqualTo(40);
    }

    @Test
    void aDamagedJpegIsExplainedAsImageIoExplainsIt() throws IOException {
        byte[] whole = TestData.jpeg(ImageDecoderTest.quadrants());
        byte[] damaged = Arrays.copyOf(whole, whole.length / 2);

        assertThatThrownBy(() -> turbo.decode(damaged, unlimited()))
                .isInstanceOf(UnreadableImageException.class)
                .hasMessageContaining("damaged or truncated");
    }

    /** The grey level at a fraction of the width and height: the raster's for luma images, else from RGB. */
    private static double luma(BufferedImage image, double fx, double fy) {
        int x = (int) (fx * image.getWidth());
        int y = (int) (fy * image.getHeight());
        if (image.getProperty(TurboJpeg.LUMA) == Boolean.TRUE) {
            return image.getRaster().getSample(x, y, 0);
        }
        Color c = new Color(image.getRGB(x, y));
        return 0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue();
    }
}
