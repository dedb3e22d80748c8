package io.github.dl4jserving.datasets.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jserving.TestData;
import io.github.dl4jserving.datasets.PixelBudget;
import io.github.dl4jserving.datasets.UnreadableImageException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {
    // ImageIO for every format, JPEG included; TurboJpegTest reads JPEGs with libjpeg-turbo
    private final ImageDecoder decoder = new ImageDecoder(4096, ImageDecoder.DECODE_CPU_NANOS, false);

    private BufferedImage decode(byte[] bytes) {
        return decoder.decode(bytes, new PixelBudget(Long.MAX_VALUE, "none"));
    }

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out))
                .as("ImageIO writes " + format)
                .isTrue();
        return out.toByteArray();
    }

    static BufferedImage sample(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.fillRect(w / 3, h / 5, w / 5, 3 * h / 5);
        g.dispose();
        return image;
    }

    /** 64x32: red, green / blue, white quadrants, so every flip and rotation is told apart. */
    static BufferedImage quadrants() {
        BufferedImage image = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        Color[] colors = {Color.RED, Color.GREEN, Color.BLUE, Color.WHITE};
        for (int q = 0; q < 4; q++) {
            g.setColor(colors[q]);
            g.fillRect(q % 2 * 32, q / 2 * 16, 32, 16);
        }
        g.dispose();
        return image;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void aJpegIsTurnedUprightByEachOfTheEightExifOrientations(int orientation) throws IOException {
        BufferedImage upright = quadrants();
        byte[] jpeg =
                TestData.withExifOrientation(encode(TestData.storedSideways(upright, orientation), "jpg"), orientation);

        BufferedImage decoded = decode(jpeg);

        assertThat(decoded.getWidth()).isEqualTo(64);
        assertThat(decoded.getHeight()).isEqualTo(32);
        for (int[] at : new int[][] {{16, 8}, {48, 8}, {16, 24}, {48, 24}}) {
            Color want = new Color(upright.getRGB(at[0], at[1]));
            Color got = new Color(decoded.getRGB(at[0], at[1]));
            assertThat(new int[] {got.getRed(), got.getGreen(), got.getBlue()})
                    .as("orientation %d at %d,%d", orientation, at[0], at[1])
                    .satisfies(c -> assertThat(Math.abs(c[0] - want.getRed())
                                    + Math.abs(c[1] - want.getGreen())
                                    + Math.abs(c[2] - want.getBlue()))
                            .isLessThan(60));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpg", "gif", "bmp"})
    void decodesEachSupportedFormat(String format) throws IOException {
        BufferedImage decoded = decode(encode(sample(90, 60), format));

        assertThat(decoded.getWidth()).isEqualTo(90);
        assertThat(decoded.getHeight()).isEqualTo(60);
    }

    @Test
    void aThreadReusesItsStreamAndReadersAcrossFormatsAndAfterDamagedFiles() throws IOException {
        BufferedImage reference = sample(40, 30);
        byte[] png = encode(reference, "png");
        byte[] jpg = encode(reference, "jpg");
        byte[] truncated = Arrays.copyOf(encode(sample(200, 200), "png"), 300);
        int[] expected = reference.getRGB(0, 0, 40, 30, null, 0, 40);

        for (int round = 0; round < 3; round++) {
            assertThat(decode(png).getRGB(0, 0, 40, 30, null, 0, 40))
                    .as("the same pixels every time, whatever came before")
                    .containsExactly(expected);
            assertThat(decode(jpg).getWidth()).isEqualTo(40);
            assertThatThrownBy(() -> decode(truncated)).isInstanceOf(UnreadableImageException.class);
            assertThatThrownBy(() -> decode(new byte[] {1, 2, 3})).isInstanceOf(UnreadableImageException.class);
        }
        BufferedImage other = sample(17, 9);
        assertThat(decode(encode(other, "png")).getRGB(0, 0, 17, 9, null, 0, 17))
                .as("a smaller image after a larger one reads only its own bytes")
                .containsExactly(other.getRGB(0, 0, 17, 9, null, 0, 17));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gif", "bmp"})
    void aPngAfterALittleEndianFormatOnTheSameThreadIsStillRead(String littleEndian) throws IOException {
        BufferedImage reference = sample(40, 30);
        byte[] png = encode(reference, "png");
        byte[] other = encode(sample(50, 20), littleEndian);

        for (int round = 0; round < 3; round++) {
            assertThat(decode(other).getWidth()).isEqualTo(50);
            // Before: the stream kept the little-endian order the reader had set, and this PNG failed.
            assertThat(decode(png).getRGB(0, 0, 40, 30, null, 0, 40))
                    .containsExactly(reference.getRGB(0, 0, 40, 30, null, 0, 40));
        }
    }

    @Test
    void refusesAProgressiveJpegWithMoreScansThanAnyEncoderWritesBeforeDecodingIt() throws IOException {
        byte[] bomb = TestData.progressiveScanBomb(4096, 1000);
        assertThat(bomb.length).isLessThan(512 << 10);

        long start = System.nanoTime();
        // Before: decoded, at about 6 ms of CPU per scan.
        assertThatThrownBy(() -> decode(bomb))
                .isInstanceOf(UnreadableImageException.class)
                .hasMessageContaining("1000 scans")
                .hasMessageContaining("at most 64");
        System.out.printf("a 1,000-scan bomb refused after %.1f ms%n", (System.nanoTime() - start) / 1e6);
    }

    @Test
    void aDecodeThatSpendsItsCpuBudgetIsGivenUpAndTheThreadDecodesTheNextImage() throws IOException {
        ImageDecoder stingy = new ImageDecoder(4096, 30_000_000L, false);
        byte[] bomb = TestData.progressiveScanBomb(4096, 60);

        assertThatThrownBy(() -> stingy.decode(bomb, new PixelBudget(Long.MAX_VALUE, "none")))
                .isInstanceOf(UnreadableImageException.class)
                .hasMessageContaining("more than 30 ms of CPU");
        assertThat(stingy.decode(encode(sample(40, 30), "png"), new PixelBudget(Long.MAX_VALUE, "none"))
                        .getWidth())
                .isEqualTo(40);
    }

    @Test
    void aPngThatSpendsItsCpuBudgetIsSaidToHaveDoneSoNotToBeDamaged() throws IOException {
        // The PNG reader wraps what a listener throws in an IIOException; the deadline was once
        // reported as "damaged or truncated".
        ImageDecoder stingy = new ImageDecoder(4096, 1_000_000L, false);
        byte[] big = encode(new BufferedImage(4096, 4096, BufferedImage.TYPE_BYTE_GRAY), "png");

        assertThatThrownBy(() -> stingy.decode(big, new PixelBudget(Long.MAX_VALUE, "none")))
                .isInstanceOf(UnreadableImageException.class)
                .hasMessageContaining("more than 1 ms of CPU")
                .hasMessageNotContaining("damaged");
    }

    @Test
    void aHeaderGivesTheDeclaredSizeWithoutDecoding() throws IOException {
        assertThat(decoder.declaredSize(encode(sample(40, 30), "png"))).containsExactly(40, 30);
        assertThat(decoder.declaredSize(encode(sample(33, 21), "jpg"))).containsExactly(33, 21);
        assertThat(decoder.declaredSize(encode(sample(12, 7), "bmp"))).containsExactly(12, 7);
        assertThat(decoder.declaredSize("not an image".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .isNull();
        assertThat(decoder.declaredSize(new byte[0])).isNull();
        assertThat(decoder.decode(encode(sample(40, 30), "png"), new PixelBudget(Long.MAX_VALUE, "none"))
                        .getWidth())
                .as("the thread's reader still decodes after a header read")
                .isEqualTo(40);
    }

    @Test
    void theImagesOfOneRequestShareOneCpuBudget() throws IOException {
        PixelBudget request = new PixelBudget(Long.MAX_VALUE, "none", java.time.Duration.ofMillis(40));
        byte[] costly = TestData.progressiveScanBomb(4096, 30);

        assertThatThrownBy(() -> {
                    for (int i = 0; i < 20; i++) {
                        decoder.decode(costly, request);
                    }
                })
                .isInstanceOf(UnreadableImageException.class)
                .hasMessageContaining("images of this request took more than 40 ms of CPU");
        assertThat(request.cpuLeftNanos()).isZero();
    }

    @Test
    void aProgressiveJpegAsEncodersWriteItIsRead() throws IOException {
        byte[] progressive = TestData.progressiveScanBomb(512, 0); // the encoder's own scans, none repeated

        assertThat(decode(progressive).getWidth()).isEqualTo(512);
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpg", "gif"})
    void refusesATruncatedFile(String format) throws IOException {
        byte[] whole = encode(sample(200, 200), format);

        assertThatThrownBy(() -> decode(Arrays.copyOf(whole, whole.length / 3)))
                .isInstanceOf(UnreadableImageException.class);
    }

    @Test
    void refusesRandomBytesAndEmptyBodies() {
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);

        assertThatThrownBy(() -> decode(noise))
                .isInstanceOf(UnreadableImageException.class)
                .hasMessageContaining("not an image");
        assertThatThrownBy(() -> decode(new byte[0]))
                .isInstanceOf(UnreadableImageException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void refusesADecompressionBombFromItsHeaderAlone() throws IOException {
        byte[] png = TestData.decompressionBombPng();

        assertThatThrownBy(() -> decode(png))
                .isInstanceOf(UnreadableImageException.class)
                .hasMessageContaining("50000x50000")
                .hasMessageContaining("4096");
    }
}
