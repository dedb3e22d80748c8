package io.github.dl4jserving.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.ShippedModels;
import io.github.dl4jserving.TestData;
import io.github.dl4jserving.datasets.MnistIdxReader;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Real MNIST test digits re-photographed four ways, each encoded as a file and classified by the
 * shipped mnist-mlp through the service's decode-and-prepare path.
 */
class RealWorldDigitsTest {
    static final int DIGITS = 100;
    private final InferenceService inference = ShippedModels.inference();
    private final MnistIdxReader.IdxImages images = TestData.mnistTestImages();
    private final int[] labels = TestData.mnistTestLabels();

    @Test
    void classifiesPlainMnistPngs() {
        assertThat(accuracy(i -> encode(mnist(i), "png"))).isGreaterThanOrEqualTo(0.97);
    }

    @Test
    void classifiesDarkOnLightScansAsJpeg() {
        Random random = new Random(1);
        assertThat(accuracy(i -> {
                    BufferedImage page = paper(400, 300, new Color(236, 234, 228), new Color(236, 234, 228), random, 8);
                    drawInk(
                            page,
                            mnist(i),
                            8,
                            40 + random.nextInt(100),
                            20 + random.nextInt(40),
                            new Color(25, 25, 25));
                    return encode(page, "jpg");
                }))
                .isGreaterThanOrEqualTo(0.97);
    }

    @Test
    void classifiesBluePenPhonePhotosWithUnevenLight() {
        Random random = new Random(2);
        assertThat(accuracy(i -> {
                    BufferedImage photo =
                            paper(1200, 900, new Color(228, 222, 206), new Color(176, 170, 156), random, 14);
                    drawInk(
                            photo,
                            mnist(i),
                            14,
                            200 + random.nextInt(500),
                            120 + random.nextInt(300),
                            new Color(28, 45, 160));
                    return encode(photo, "jpg");
                }))
                .isGreaterThanOrEqualTo(0.97);
    }

    @Test
    void classifiesASmallOffCentreDigitOnALargeTransparentCanvas() {
        Random random = new Random(3);
        assertThat(accuracy(i -> {
                    BufferedImage canvas = new BufferedImage(800, 800, BufferedImage.TYPE_INT_ARGB);
                    drawInk(canvas, mnist(i), 3, 560 + random.nextInt(100), 40 + random.nextInt(100), Color.BLACK);
                    return encode(canvas, "png");
                }))
                .isGreaterThanOrEqualTo(0.97);
    }

    /**
     * Chalk on a dark board photographed at night: a small light digit (about 80 px on a 640x480
     * photo) amid sensor noise and dense bright specks (dust, chalk crumbs, hot pixels) of 1 to 3
     * pixels, as many as 900 of them, some near the digit.
     */
    @Test
    void classifiesASmallLightDigitAmidDenseSpeckleOnADarkBackground() {
        Random random = new Random(4);
        assertThat(accuracy(i -> {
                    BufferedImage photo = paper(640, 480, new Color(44, 48, 46), new Color(24, 26, 25), random, 16);
                    int x = 60 + random.nextInt(480);
                    int y = 60 + random.nextInt(320);
                    drawInk(photo, mnist(i), 2, x, y, new Color(222, 222, 210));
                    Graphics2D g = photo.createGraphics();
                    for (int s = 0, specks = 200 + random.nextInt(300); s < specks; s++) {
                        int grey = 140 + random.nextInt(110);
                        g.setColor(new Color(grey, grey, grey));
                        int r = 2 + random.nextInt(7);
                        g.fillOval(random.nextInt(640), random.nextInt(480), r, r);
                    }
                    g.dispose();
                    return encode(photo, "jpg");
                }))
                .isGreaterThanOrEqualTo(0.9);
    }

    private double accuracy(IntFunction<byte[]> file) {
        String variant = StackWalker.getInstance()
                .walk(frames -> frames.skip(1).findFirst().orElseThrow())
                .getMethodName();
        int correct = 0;
        List<Integer> wrong = new ArrayList<>();
        for (int i = 0; i < DIGITS; i++) {
            String label = inference
                    .classifyImages("mnist-mlp", null, List.of(ImageInput.file(file.apply(i))), 1)
                    .predictions()
                    .get(0)
                    .label();
            if (label.equals(Integer.toString(labels[i]))) {
                correct++;
            } else {
                wrong.add(i);
            }
        }
        System.out.println(getClass().getSimpleName() + "." + variant + ": " + correct + "/" + DIGITS
                + " correct; wrong: " + wrong);
        return correct / (double) DIGITS;
    }

    private BufferedImage mnist(int i) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = images.pixels()[i];
        for (int p = 0; p < px.length; p++) {
            img.getRaster().setSample(p % 28, p / 28, 0, px[p] & 0xFF);
        }
        return img;
    }

    /** Paper lit from one corner: a diagonal gradient between two shades, with sensor noise. */
    static BufferedImage paper(int w, int h, Color bright, Color dim, Random random, int noise) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double t = (x / (double) w + y / (double) h) / 2;
                int n = (int) Math.round(random.nextGaussian() * noise / 2.0);
                int r = mix(bright.getRed(), dim.getRed(), t) + n;
                int g = mix(bright.getGreen(), dim.getGreen(), t) + n;
                int b = mix(bright.getBlue(), dim.getBlue(), t) + n;
                img.setRGB(x, y, (clamp(r) << 16) | (clamp(g) << 8) | clamp(b));
            }
        }
        return img;
    }

    /** Draws the MNIST digit's ink, scaled up smoothly, in {@code ink} at (x, y). */
    static void drawInk(BufferedImage target, BufferedImage digit, int scale, int x, int y, Color ink) {
        BufferedImage alpha = new BufferedImage(28, 28, BufferedImage.TYPE_INT_ARGB);
        for (int py = 0; py < 28; py++) {
            for (int px = 0; px < 28; px++) {
                int a = digit.getRaster().getSample(px, py, 0);
                alpha.setRGB(px, py, (a << 24) | (ink.getRGB() & 0xFFFFFF));
            }
        }
        Graphics2D g = target.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.setComposite(AlphaComposite.SrcOver);
        g.drawImage(alpha, x, y, 28 * scale, 28 * scale, null);
        g.dispose();
    }

    static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (format.equals("jpg")) {
                ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(0.8f);
                try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
                    writer.setOutput(stream);
                    writer.write(null, new IIOImage(image, null, null), param);
                }
                writer.dispose();
            } else {
                ImageIO.write(image, format, out);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int mix(int a, int b, double t) {
        return (int) Math.round(a + (b - a) * t);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
