package io.github.dl4jserving.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {
    private final ImageDecoder decoder = new ImageDecoder(4096);

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).as("ImageIO writes " + format).isTrue();
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

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpg", "gif", "bmp"})
    void decodesEachSupportedFormat(String format) throws IOException {
        BufferedImage decoded = decoder.decode(encode(sample(90, 60), format));

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
            assertThat(decoder.decode(png).getRGB(0, 0, 40, 30, null, 0, 40))
                    .as("the same pixels every time, whatever came before").containsExactly(expected);
            assertThat(decoder.decode(jpg).getWidth()).isEqualTo(40);
            assertThatThrownBy(() -> decoder.decode(truncated)).isInstanceOf(UnreadableImageException.class);
            assertThatThrownBy(() -> decoder.decode(new byte[] {1, 2, 3})).isInstanceOf(UnreadableImageException.class);
        }
        BufferedImage other = sample(17, 9);
        assertThat(decoder.decode(encode(other, "png")).getRGB(0, 0, 17, 9, null, 0, 17))
                .as("a smaller image after a larger one reads only its own bytes")
                .containsExactly(other.getRGB(0, 0, 17, 9, null, 0, 17));
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpg", "gif"})
    void refusesATruncatedFile(String format) throws IOException {
        byte[] whole = encode(sample(200, 200), format);

        assertThatThrownBy(() -> decoder.decode(Arrays.copyOf(whole, whole.length / 3)))
                .isInstanceOf(UnreadableImageException.class);
    }

    @Test
    void refusesRandomBytesAndEmptyBodies() {
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);

        assertThatThrownBy(() -> decoder.decode(noise)).isInstanceOf(UnreadableImageException.class)
                .hasMessageContaining("not an image");
        assertThatThrownBy(() -> decoder.decode(new byte[0])).isInstanceOf(UnreadableImageException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void refusesADecompressionBombFromItsHeaderAlone() throws IOException {
        byte[] png = io.github.dl4jserving.TestData.decompressionBombPng();

        assertThatThrownBy(() -> decoder.decode(png)).isInstanceOf(UnreadableImageException.class)
                .hasMessageContaining("50000x50000").hasMessageContaining("4096");
    }
}
