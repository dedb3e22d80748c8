package io.github.dl4jserving.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;

class DigitImagePreprocessorTest {
    private final DigitImagePreprocessor preprocessor = new DigitImagePreprocessor();

    /** A thick vertical bar, like a "1", drawn on a canvas of the given size and colours. */
    private static BufferedImage bar(int width, int height, Color paper, Color ink, int x, int y, int w, int h,
            int type) {
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
        assertThat(com[0]).isCloseTo(14.0, org.assertj.core.data.Offset.offset(0.75));
        assertThat(com[1]).isCloseTo(14.0, org.assertj.core.data.Offset.offset(0.75));
        assertThat(digit.inverted()).isFalse();
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

        assertThat(preprocessor.prepare(specked).pixels()).containsExactly(preprocessor.prepare(clean).pixels());
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
                .isInstanceOf(NoDigitFoundException.class).hasMessageContaining("no visible ink");
    }

    @Test
    void leavesAnMnistDigitNearlyAsItIs() {
        MnistIdxReader.IdxImages images = io.github.dl4jserving.TestData.mnistTestImages();
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
