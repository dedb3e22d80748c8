package io.github.dl4jserving;

import io.github.dl4jserving.datasets.MnistIdxReader;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The project's own set of phone photos of handwritten digits, generated with a fixed seed: real
 * MNIST test digits drawn as pen strokes (or chalk) at 8-40% of the frame's short side on paper,
 * sticky notes and chalkboards, lit unevenly (gradients up to 2:1, vignetting, the soft shadow of a
 * hand or phone), with paper grain, ruled and squared paper, the dark edge of a desk in the frame,
 * several ink colours and sensor noise; saved as JPEGs of quality 75-95 at 12 MP (4032x3024) and
 * smaller, stored upright or sideways with EXIF orientation 1, 3, 6 or 8 as phones do.
 *
 * <p>Every photo has one main {@link Condition}; all photos also get a mild gradient, noise and a
 * random orientation, size and quality, so each condition is measured among the others. A photo
 * whose digit is {@code -1} has no digit at all: the paper, the light and the lines only.
 */
public final class PhotoSet {
    /** What a photo mainly shows, for accuracy per condition. */
    public enum Condition {
        PLAIN,
        GRADIENT,
        VIGNETTE,
        SHADOW,
        TEXTURE,
        LINED,
        SQUARED,
        STICKY_NOTE,
        CHALKBOARD,
        INK_COLOURS,
        SMALL_DIGIT,
        LARGE_DIGIT,
        DESK_EDGE
    }

    /** The sizes photos are taken at (landscape; portrait photos swap them): 12, 8, 5, 1.9 and 0.8 MP. */
    static final int[][] SIZES = {{4032, 3024}, {3264, 2448}, {2592, 1944}, {1600, 1200}, {1024, 768}};

    /** How one photo is made; {@code digit} is an MNIST test index, or -1 for none. */
    public record Spec(
            int index,
            Condition condition,
            int digit,
            int width,
            int height,
            int orientation,
            int quality,
            double digitShare,
            long seed) {
        /** A name for reports and files: index, condition, size and orientation. */
        public String name() {
            return String.format(
                    "%03d-%s-%dx%d-o%d", index, condition.name().toLowerCase(), width, height, orientation);
        }
    }

    private PhotoSet() {}

    /**
     * {@code perCondition} photos of each condition, their digits drawn from {@code digits} (MNIST
     * test indices) in order; every fourth photo is 12 MP. Deterministic for a given seed.
     */
    public static List<Spec> specs(int perCondition, int[] digits, long seed) {
        Random random = new Random(seed);
        List<Spec> specs = new ArrayList<>();
        int[] orientations = {1, 6, 3, 8};
        int n = 0;
        for (int k = 0; k < perCondition; k++) {
            for (Condition c : Condition.values()) {
                int[] size = n % 4 == 0 ? SIZES[0] : SIZES[1 + random.nextInt(SIZES.length - 1)];
                boolean portrait = random.nextBoolean();
                double share = switch (c) {
                    case SMALL_DIGIT -> 0.08 + 0.04 * random.nextDouble();
                    case LARGE_DIGIT -> 0.30 + 0.10 * random.nextDouble();
                    default -> 0.12 + 0.18 * random.nextDouble();
                };
                specs.add(new Spec(
                        n,
                        c,
                        digits == null ? -1 : digits[n % digits.length],
                        portrait ? size[1] : size[0],
                        portrait ? size[0] : size[1],
                        orientations[random.nextInt(4)],
                        75 + random.nextInt(21),
                        share,
                        random.nextLong()));
                n++;
            }
        }
        return specs;
    }

    /** The photo as a phone stores it: a JPEG with an EXIF orientation, its pixels stored accordingly. */
    public static byte[] jpeg(Spec spec, MnistIdxReader.IdxImages mnist) {
        BufferedImage upright = render(spec, mnist);
        byte[] plain = encode(storedAs(upright, spec.orientation()), spec.quality());
        return TestData.withExifOrientation(plain, spec.orientation());
    }

    /** The upright photo. */
    public static BufferedImage render(Spec s, MnistIdxReader.IdxImages mnist) {
        SplittableRandom r = new SplittableRandom(s.seed());
        int w = s.width();
        int h = s.height();
        int shortSide = Math.min(w, h);
        Condition c = s.condition();

        // Paper (or board) colour, 0-1 per channel.
        double[] paper = switch (c) {
            case CHALKBOARD ->
                r.nextBoolean()
                        ? new double[] {0.16, 0.22, 0.18} // green board
                        : new double[] {0.13, 0.13, 0.14}; // black board
            default -> {
                double base = 0.86 + 0.1 * r.nextDouble();
                yield new double[] {base, base - 0.01 * r.nextDouble(), base - 0.05 * r.nextDouble()};
            }
        };
        double[] ink = switch (c) {
            case CHALKBOARD -> new double[] {0.86, 0.86, 0.84};
            case INK_COLOURS ->
                switch (r.nextInt(4)) {
                    case 0 -> new double[] {0.10, 0.16, 0.55}; // blue ballpoint
                    case 1 -> new double[] {0.62, 0.10, 0.10}; // red
                    case 2 -> new double[] {0.08, 0.38, 0.16}; // green
                    default -> new double[] {0.42, 0.42, 0.44}; // pencil
                };
            default -> r.nextBoolean() ? new double[] {0.06, 0.06, 0.07} : new double[] {0.09, 0.12, 0.40};
        };

        // The digit: its ink coverage in a square of side d at (dx, dy), slightly rotated.
        int d = (int) Math.round(s.digitShare() * shortSide);
        int margin = (int) Math.round(0.08 * shortSide);
        int dx = margin + r.nextInt(Math.max(1, w - d - 2 * margin));
        int dy = margin + r.nextInt(Math.max(1, h - d - 2 * margin));
        float[] coverage = s.digit() < 0 ? null : strokes(mnist.pixels()[s.digit()], d, r);

        // Lighting: a linear gradient in a random direction (up to 2:1 for GRADIENT), vignetting,
        // and a soft elliptical shadow.
        double ratio = c == Condition.GRADIENT ? 1.5 + 0.5 * r.nextDouble() : 1.0 + 0.3 * r.nextDouble();
        double angle = r.nextDouble() * 2 * Math.PI;
        double gx = Math.cos(angle);
        double gy = Math.sin(angle);
        double span = Math.abs(gx) * w + Math.abs(gy) * h;
        double g0 = -(Math.min(0, gx * w) + Math.min(0, gy * h));
        double vignette = c == Condition.VIGNETTE ? 0.3 + 0.2 * r.nextDouble() : 0.05 * r.nextDouble();
        double cx = w / 2.0;
        double cy = h / 2.0;
        double rMax2 = cx * cx + cy * cy;
        boolean shadow = c == Condition.SHADOW;
        double sx = r.nextBoolean() ? w * (0.05 + 0.2 * r.nextDouble()) : w * (0.75 + 0.2 * r.nextDouble());
        double sy = h * (0.3 + 0.7 * r.nextDouble());
        double sa = w * (0.25 + 0.15 * r.nextDouble());
        double sb = h * (0.35 + 0.2 * r.nextDouble());
        double shade = 0.5 + 0.15 * r.nextDouble();
        double soft = 0.25;

        // Paper features.
        double lineGap = Math.max(8, d * (0.3 + 0.1 * r.nextDouble()));
        double lineWidth = Math.max(1, shortSide / 800.0);
        double lineOffset = r.nextDouble() * lineGap;
        double[] lineInk = {0.55, 0.68, 0.85};
        double[] marginInk = {0.85, 0.45, 0.45};
        int marginLine = (int) (w * (0.06 + 0.06 * r.nextDouble()));
        int note = (int) Math.round(d * (1.6 + 0.6 * r.nextDouble()));
        int nx = dx + d / 2 - note / 2;
        int ny = dy + d / 2 - note / 2;
        double[] noteColour = switch (r.nextInt(3)) {
            case 0 -> new double[] {0.95, 0.90, 0.45};
            case 1 -> new double[] {0.93, 0.70, 0.78};
            default -> new double[] {0.70, 0.70, 0.70};
        };
        int deskSide = r.nextInt(4);
        int desk = (int) Math.round((c == Condition.DESK_EDGE ? 0.08 + 0.12 * r.nextDouble() : 0) * shortSide);
        double[] deskColour = {0.22 + 0.1 * r.nextDouble(), 0.16, 0.12};
        double grain = c == Condition.TEXTURE ? 0.05 : 0.015;
        double noise = (2 + 3 * r.nextDouble()) / 255.0;
        // blotches: low-frequency paper unevenness for TEXTURE, chalk smudge for CHALKBOARD
        double blotch = c == Condition.TEXTURE || c == Condition.CHALKBOARD ? 0.06 : 0;
        double fx = (2 + 3 * r.nextDouble()) * Math.PI / w;
        double fy = (2 + 3 * r.nextDouble()) * Math.PI / h;
        double phase = r.nextDouble() * 6;

        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] out = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        SplittableRandom pixels = r.split();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double[] a = paper;
                double tint = 0;
                if (c == Condition.LINED) {
                    double m = (y + lineOffset) % lineGap;
                    if (m < lineWidth) {
                        a = lineInk;
                    } else if (Math.abs(x - marginLine) < lineWidth) {
                        a = marginInk;
                    }
                } else if (c == Condition.SQUARED) {
                    if ((y + lineOffset) % lineGap < lineWidth || (x + lineOffset) % lineGap < lineWidth) {
                        a = lineInk;
                    }
                } else if (c == Condition.STICKY_NOTE && x >= nx && x < nx + note && y >= ny && y < ny + note) {
                    a = noteColour;
                }
                if (desk > 0) {
                    int dist = switch (deskSide) {
                        case 0 -> x;
                        case 1 -> w - 1 - x;
                        case 2 -> y;
                        default -> h - 1 - y;
                    };
                    if (dist < desk) {
                        a = deskColour;
                    }
                }
                if (blotch > 0) {
                    tint = blotch * Math.sin(x * fx + phase) * Math.sin(y * fy + 2 * phase);
                }
                double cov = 0;
                if (coverage != null && x >= dx && x < dx + d && y >= dy && y < dy + d) {
                    cov = coverage[(y - dy) * d + (x - dx)];
                }
                double t = (gx * x + gy * y + g0) / span;
                double light = 1.0 / (1.0 + (ratio - 1) * t);
                double rr = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / rMax2;
                light *= 1 - vignette * rr;
                if (shadow) {
                    double e = Math.sqrt((x - sx) * (x - sx) / (sa * sa) + (y - sy) * (y - sy) / (sb * sb));
                    double inside = e < 1 - soft ? 1 : e > 1 + soft ? 0 : (1 + soft - e) / (2 * soft);
                    light *= 1 - (1 - shade) * inside;
                }
                double g = grain * (pixels.nextDouble() - 0.5);
                int rgb = 0;
                for (int ch = 0; ch < 3; ch++) {
                    double v = (a[ch] * (1 + tint + g)) * (1 - cov) + ink[ch] * cov;
                    v = v * light + noise * (pixels.nextDouble() - 0.5) * 2;
                    int level = (int) Math.round(255 * Math.max(0, Math.min(1, v)));
                    rgb = (rgb << 8) | level;
                }
                out[y * w + x] = rgb;
            }
        }
        return img;
    }

    /**
     * The MNIST digit as pen strokes of side {@code d}: its 28x28 grey levels sampled bilinearly,
     * turned by up to 10 degrees, and given a sharp edge about a pixel wide at a random stroke weight.
     */
    private static float[] strokes(byte[] px, int d, SplittableRandom r) {
        double turn = Math.toRadians(-10 + 20 * r.nextDouble());
        double cos = Math.cos(turn);
        double sin = Math.sin(turn);
        double level = 0.3 + 0.25 * r.nextDouble(); // higher: thinner strokes
        double edge = Math.max(0.04, 6.0 / d);
        float[] out = new float[d * d];
        double scale = 28.0 / d;
        for (int y = 0; y < d; y++) {
            for (int x = 0; x < d; x++) {
                double ux = (x - d / 2.0) * cos + (y - d / 2.0) * sin;
                double uy = -(x - d / 2.0) * sin + (y - d / 2.0) * cos;
                double sxp = (ux + d / 2.0) * scale - 0.5;
                double syp = (uy + d / 2.0) * scale - 0.5;
                double v = bilinear(px, sxp, syp);
                double a = (v - level) / edge + 0.5;
                out[y * d + x] = (float) Math.max(0, Math.min(1, a));
            }
        }
        return out;
    }

    private static double bilinear(byte[] px, double x, double y) {
        if (x < -1 || y < -1 || x > 28 || y > 28) {
            return 0;
        }
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double ax = x - x0;
        double ay = y - y0;
        return (at(px, x0, y0) * (1 - ax) + at(px, x0 + 1, y0) * ax) * (1 - ay)
                + (at(px, x0, y0 + 1) * (1 - ax) + at(px, x0 + 1, y0 + 1) * ax) * ay;
    }

    private static double at(byte[] px, int x, int y) {
        return x < 0 || y < 0 || x >= 28 || y >= 28 ? 0 : (px[y * 28 + x] & 0xFF) / 255.0;
    }

    /** The pixels a camera stores for {@code upright} with EXIF {@code orientation} 1, 3, 6 or 8. */
    static BufferedImage storedAs(BufferedImage upright, int orientation) {
        if (orientation == 1) {
            return upright;
        }
        int w = upright.getWidth();
        int h = upright.getHeight();
        int[] src = ((DataBufferInt) upright.getRaster().getDataBuffer()).getData();
        boolean swapped = orientation == 6 || orientation == 8;
        int sw = swapped ? h : w;
        int sh = swapped ? w : h;
        BufferedImage stored = new BufferedImage(sw, sh, BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) stored.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < sw; x++) {
                int ux;
                int uy;
                switch (orientation) {
                    case 3 -> {
                        ux = w - 1 - x;
                        uy = h - 1 - y;
                    }
                    case 6 -> {
                        ux = w - 1 - y;
                        uy = x;
                    }
                    case 8 -> {
                        ux = y;
                        uy = h - 1 - x;
                    }
                    default -> throw new IllegalArgumentException("EXIF orientation " + orientation);
                }
                dst[y * sw + x] = src[uy * w + ux];
            }
        }
        return stored;
    }

    static byte[] encode(BufferedImage image, int quality) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(stream);
                writer.write(null, new IIOImage(image, null, null), param);
            }
            writer.dispose();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the set's photos to a directory, for a look at them or for benchmarks.
     * Usage: {@code PhotoSet <dir> [per-condition]}.
     */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args[0]));
        int per = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int[] digits = new int[10000];
        for (int i = 0; i < digits.length; i++) {
            digits[i] = i;
        }
        MnistIdxReader.IdxImages mnist = TestData.mnistTestImages();
        int[] labels = TestData.mnistTestLabels();
        for (Spec s : specs(per, digits, 27)) {
            Files.write(dir.resolve(s.name() + "-label" + labels[s.digit()] + ".jpg"), jpeg(s, mnist));
        }
    }
}
