package io.github.dl4jserving.datasets.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jserving.TestData;
import io.github.dl4jserving.datasets.MnistIdxReader;
import io.github.dl4jserving.datasets.NoDigitFoundException;
import io.github.dl4jserving.datasets.PreparedDigit;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class DigitImagePreprocessorTest {
    private final DigitImagePreprocessor preprocessor = new DigitImagePreprocessor();

    /** A thick vertical bar, like a "1", drawn on a canvas of the given size and colours. */
    private static BufferedImage bar(
            int width, int height, Color paper, Color ink, int x, int y, int w, int h, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D g = image.createGraphics();
        g.setColor(paper);
        g.fillRect(0, 0, width, height);
        g.setColor(ink);
        g.fillRect(x, y, w, h);
        g.dispose();
        return image;
    }

    @Test
    void scalesTheLongestSideTo20AndCentresByMass() {
        BufferedImage image = bar(400, 300, Color.BLACK, Color.WHITE, 20, 30, 40, 200, BufferedImage.TYPE_INT_RGB);

        PreparedDigit digit = preprocessor.prepare(image);

        int[] box = boundingBox(digit.pixels(), 0.05f);
        assertThat(box[3] - box[1] + 1).isEqualTo(20);
        assertThat(box[2] - box[0] + 1).isBetween(4, 5);
        double[] com = centreOfMass(digit.pixels());
        assertThat(com[0]).isCloseTo(14.0, Offset.offset(0.75));
        assertThat(com[1]).isCloseTo(14.0, Offset.offset(0.75));
        assertThat(digit.inverted()).isFalse();
    }

    @Test
    void aThreadsReusedWorkingArraysGiveTheSameResultsAsAFreshThread() throws Exception {
        BufferedImage[] images = {
            bar(1200, 900, Color.WHITE, Color.BLACK, 500, 100, 60, 600, BufferedImage.TYPE_INT_RGB), // downscaled
            bar(28, 28, Color.BLACK, Color.WHITE, 12, 4, 4, 20, BufferedImage.TYPE_BYTE_GRAY),
            bar(300, 200, Color.BLACK, Color.WHITE, 40, 20, 8, 150, BufferedImage.TYPE_INT_RGB), // thin: widened
            bar(600, 600, Color.LIGHT_GRAY, Color.DARK_GRAY, 200, 100, 90, 400, BufferedImage.TYPE_INT_RGB),
        };
        float[][] fresh = new float[images.length][];
        for (int i = 0; i < images.length; i++) {
            int index = i;
            Thread thread = new Thread(() -> fresh[index] =
                    new DigitImagePreprocessor().prepare(images[index]).pixels());
            thread.start();
            thread.join();
        }
        BufferedImage blank = bar(64, 64, Color.WHITE, Color.WHITE, 0, 0, 1, 1, BufferedImage.TYPE_INT_RGB);
        // A speck inside where the previous image had its bar: stale labels would keep it.
        BufferedImage before = bar(28, 28, Color.BLACK, Color.WHITE, 2, 2, 8, 24, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage speckled = bar(28, 28, Color.BLACK, Color.WHITE, 16, 3, 5, 22, BufferedImage.TYPE_BYTE_GRAY);
        speckled.setRGB(5, 14, Color.WHITE.getRGB());
        float[][] freshSpeckled = new float[1][];
        Thread thread = new Thread(() -> freshSpeckled[0] =
                new DigitImagePreprocessor().prepare(speckled).pixels());
        thread.start();
        thread.join();
        preprocessor.prepare(before);
        assertThat(preprocessor.prepare(speckled).pixels()).containsExactly(freshSpeckled[0]);

        for (int round = 0; round < 2; round++) {
            for (int i = images.length - 1; i >= 0; i--) {
                for (int again = 0; again < 2; again++) {
                    assertThat(preprocessor.prepare(images[i]).pixels())
                            .as("image %d, round %d", i, round)
                            .containsExactly(fresh[i]);
                }
                assertThatThrownBy(() -> preprocessor.prepare(blank)).isInstanceOf(NoDigitFoundException.class);
            }
        }
    }

    @Test
    void readsAGreyImageThroughItsTableExactlyAsThroughGetRgb() {
        BufferedImage gray = new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_GRAY);
        Random random = new Random(7);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                gray.getRaster().setSample(x, y, 0, x < 20 ? 255 : random.nextInt(256));
            }
        }
        // The same pixels as ARGB, which takes the general path.
        BufferedImage argb = new BufferedImage(64, 48, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 64, 48, gray.getRGB(0, 0, 64, 48, null, 0, 64), 0, 64);

        Scratch one = new Scratch();
        Scratch two = new Scratch();
        float[] viaTable = GrayImage.flattenedOnWhite(gray, one).values();
        float[] viaGetRgb = GrayImage.flattenedOnWhite(argb, two).values();
        assertThat(Arrays.copyOf(viaTable, 64 * 48)).containsExactly(Arrays.copyOf(viaGetRgb, 64 * 48));
        assertThat(viaTable[0]).as("255 is white").isEqualTo(1f);
        assertThat(preprocessor.prepare(gray).pixels())
                .containsExactly(preprocessor.prepare(argb).pixels());
    }

    @Test
    void invertsDarkInkOnLightPaper() {
        BufferedImage image = bar(100, 100, Color.WHITE, Color.BLACK, 45, 10, 10, 80, BufferedImage.TYPE_INT_RGB);

        PreparedDigit digit = preprocessor.prepare(image);

        assertThat(digit.inverted()).isTrue();
        assertThat(digit.pixels()[0]).isZero();
        assertThat(digit.pixels()[14 * 28 + 14]).isGreaterThan(0.9f);
    }

    @Test
    void flattensTransparencyOntoWhite() {
        // Black ink on a fully transparent background: a canvas export. Transparent black must be read
        // as paper, not as ink, or the whole image would be one black blob.
        BufferedImage image = new BufferedImage(120, 120, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.BLACK);
        g.fillRect(55, 15, 10, 90);
        g.dispose();

        PreparedDigit digit = preprocessor.prepare(image);

        assertThat(digit.inverted()).isTrue();
        int[] box = boundingBox(digit.pixels(), 0.05f);
        assertThat(box[3] - box[1] + 1).isEqualTo(20);
    }

    @Test
    void ignoresSmallSpecksAwayFromTheDigit() {
        BufferedImage clean = bar(200, 200, Color.WHITE, Color.BLACK, 90, 40, 16, 120, BufferedImage.TYPE_INT_RGB);
        BufferedImage specked = bar(200, 200, Color.WHITE, Color.BLACK, 90, 40, 16, 120, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = specked.createGraphics();
        g.setColor(Color.BLACK);
        g.fillRect(5, 5, 3, 3);
        g.fillRect(185, 190, 2, 2);
        g.dispose();

        assertThat(preprocessor.prepare(specked).pixels())
                .containsExactly(preprocessor.prepare(clean).pixels());
    }

    @Test
    void dropsLargeSpecksAwayFromASmallDigitButKeepsTheDigitsBrokenPieces() {
        // a light "7" on a dark photo: its bar and its stem are separate pieces, 3 px apart
        BufferedImage clean = bar(400, 300, Color.BLACK, Color.WHITE, 200, 100, 24, 5, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = clean.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(216, 108, 5, 30);
        g.dispose();
        BufferedImage specked = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        g = specked.createGraphics();
        g.drawImage(clean, 0, 0, null);
        // specks of a fifth to a third of the stem's size, well away from the digit on every side
        g.fillRect(20, 20, 6, 6);
        g.fillRect(370, 260, 7, 7);
        g.fillRect(150, 170, 5, 5);
        g.fillRect(300, 60, 6, 6);
        g.dispose();

        float[] prepared = preprocessor.prepare(specked).pixels();

        assertThat(prepared).containsExactly(preprocessor.prepare(clean).pixels());
        int[] box = boundingBox(prepared, 0.05f);
        assertThat(box[3] - box[1] + 1)
                .as("bar and stem, 38 px tall, fill the 20-pixel box")
                .isEqualTo(20);
    }

    @Test
    void widensHairLineStrokesOfLargePhotos() {
        BufferedImage image = new BufferedImage(1000, 1000, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 1000, 1000);
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(3f));
        g.drawOval(300, 200, 400, 600);
        g.dispose();

        PreparedDigit digit = preprocessor.prepare(image);

        long strong = 0;
        for (float v : digit.pixels()) {
            if (v > 0.5f) {
                strong++;
            }
        }
        // An MNIST "0" has roughly 100 to 200 bright pixels; a 1-pixel outline would have about 50.
        assertThat(strong).isGreaterThan(80);
    }

    @Test
    void refusesAnImageWithNoInk() {
        BufferedImage blank = bar(64, 64, Color.WHITE, Color.WHITE, 0, 0, 1, 1, BufferedImage.TYPE_INT_RGB);

        assertThatThrownBy(() -> preprocessor.prepare(blank))
                .isInstanceOf(NoDigitFoundException.class)
                .hasMessageContaining("no visible ink");
    }

    @Test
    void leavesAnMnistDigitNearlyAsItIs() {
        MnistIdxReader.IdxImages images = TestData.mnistTestImages();
        double totalDifference = 0;
        int n = 200;
        for (int i = 0; i < n; i++) {
            float[] raw = images.scaled(i);
            float[] prepared = preprocessor.prepare(raw, 28, 28).pixels();
            double diff = 0;
            double mass = 0;
            for (int p = 0; p < raw.length; p++) {
                diff += Math.abs(raw[p] - prepared[p]);
                mass += raw[p];
            }
            totalDifference += diff / mass;
        }
        // MNIST already went through these steps; redoing them moves little ink.
        assertThat(totalDifference / n).isLessThan(0.6);
    }

    static int[] boundingBox(float[] pixels, float threshold) {
        int x0 = 28;
        int y0 = 28;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                if (pixels[y * 28 + x] > threshold) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return new int[] {x0, y0, x1, y1};
    }

    static double[] centreOfMass(float[] pixels) {
        double m = 0;
        double mx = 0;
        double my = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                float v = pixels[y * 28 + x];
                m += v;
                mx += v * (x + 0.5);
                my += v * (y + 0.5);
            }
        }
        return new double[] {mx / m, my / m};
    }
}
