package io.github.dl4jserving.datasets;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * Turns any picture of a single handwritten digit into the 28x28 input the MNIST networks were
 * trained on, the way MNIST itself was made: grey levels with alpha flattened onto white, ink made
 * bright on a dark field whatever the original polarity, cropped to the ink (faint noise and small
 * specks ignored), the longest side scaled to 20 pixels with the aspect ratio kept, and the result
 * placed in a 28x28 field so that its centre of mass is in the middle.
 *
 * <p>Instances are stateless and thread-safe. The working arrays of images up to
 * {@link #WORKING_SIZE} pixels square are kept per thread and reused, so preparing an upload of
 * ordinary size allocates only its 28x28 result; larger inputs use arrays of their own.
 */
public final class DigitImagePreprocessor {
    public static final int SIZE = 28;
    static final int BOX = 20;
    /** Larger inputs are box-averaged down to about this size first; the digit ends up 20 px anyway. */
    static final int WORKING_SIZE = 512;
    /** How far, as a fraction of the digit's box so far, a piece of ink may lie from it and still join it. */
    static final double NEAR = 0.12;
    /** Ink below this contrast over the background counts as no ink at all. */
    static final float MIN_CONTRAST = 0.12f;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Prepares a decoded image. */
    public PreparedDigit prepare(BufferedImage image) {
        Scratch scratch = SCRATCH.get();
        return prepare(GrayImage.flattenedOnWhite(image, scratch), scratch);
    }

    /**
     * Prepares grey levels given as {@code values[y * width + x]} in [0, 1], 0 black and 1 white:
     * the polarity is detected as for any image.
     */
    public PreparedDigit prepare(float[] values, int width, int height) {
        Scratch scratch = SCRATCH.get();
        float[] copy = scratch.floats(0, values.length);
        System.arraycopy(values, 0, copy, 0, values.length);
        return prepare(new GrayImage(width, height, copy), scratch);
    }

    /** {@code input} is this call's own copy: it is inverted in place. */
    private PreparedDigit prepare(GrayImage input, Scratch scratch) {
        GrayImage gray = input.boxDownscaledTo(WORKING_SIZE, scratch);
        boolean inverted = gray.borderMedian(scratch) > 0.5f;
        float[] ink = gray.values();
        int w = gray.width();
        int h = gray.height();
        int n = w * h;
        if (inverted) {
            for (int i = 0; i < n; i++) {
                ink[i] = 1f - ink[i];
            }
        }
        float[] sorted = scratch.floats(2, n);
        System.arraycopy(ink, 0, sorted, 0, n);
        Arrays.sort(sorted, 0, n);
        // The background is the median; the ink level is near the brightest pixel, skipping a few
        // so a hot pixel cannot set it, but not a percentile: a small digit on a large canvas
        // covers far less than 1% of it.
        float lo = sorted[n / 2];
        float hi = sorted[n - 1 - Math.min(16, n / 500)];
        if (hi - lo < MIN_CONTRAST) {
            throw new NoDigitFoundException("The image has no visible ink: it is of one uniform shade. "
                    + "Send a picture of one dark digit on light paper or one light digit on a dark background.");
        }
        float[] norm = scratch.floats(3, n);
        for (int i = 0; i < n; i++) {
            norm[i] = clamp01((ink[i] - lo) / (hi - lo));
        }
        float threshold = Math.max(0.25f, Math.min(0.6f, otsu(norm, n)));
        boolean[] mask = scratch.mask(n);
        for (int i = 0; i < n; i++) {
            mask[i] = norm[i] > threshold;
        }
        int[] box = keepMainComponents(mask, w, h, scratch);
        // Keep the anti-aliased edge of the strokes, drop the faint paper texture around them.
        float floor = threshold * 0.5f;
        int bw = box[2] - box[0] + 1;
        int bh = box[3] - box[1] + 1;
        float[] crop = scratch.floats(2, bw * bh);
        for (int y = 0; y < bh; y++) {
            for (int x = 0; x < bw; x++) {
                int src = (box[1] + y) * w + box[0] + x;
                float v = norm[src];
                crop[y * bw + x] = nearMask(mask, w, h, box[0] + x, box[1] + y) && v > floor ? v : 0f;
            }
        }
        crop = thickenThinStrokes(crop, bw, bh, mask, box, w);
        float scale = (float) BOX / Math.max(bw, bh);
        int sw = Math.max(1, Math.round(bw * scale));
        int sh = Math.max(1, Math.round(bh * scale));
        float[] scaled = resample(crop, bw, bh, sw, sh, scratch.floats(0, sw * sh));
        float max = 0f;
        for (int i = 0; i < sw * sh; i++) {
            max = Math.max(max, scaled[i]);
        }
        if (max <= 0f) {
            throw new NoDigitFoundException("No digit was found in the image.");
        }
        for (int i = 0; i < sw * sh; i++) {
            scaled[i] = scaled[i] / max;
        }
        return new PreparedDigit(centreByMass(scaled, sw, sh), inverted);
    }

    /**
     * Connected ink components. The digit is the largest one and the components that lie near it:
     * specks smaller than a tenth of the largest are dropped, and so are larger ones that are not
     * within {@link #NEAR} of the digit's growing box, so dense speckle around a small digit cannot
     * stretch the crop and leave the digit tiny in the 28x28 field. A digit whose strokes broke into
     * pieces keeps them all: each piece lies within that distance of the others. Returns the bbox.
     */
    private static int[] keepMainComponents(boolean[] mask, int w, int h, Scratch scratch) {
        int n = w * h;
        int[] label = scratch.labels(n);
        // Every pixel joins the queue at most once, so a plain array of n holds it.
        int[] queue = scratch.queue(n);
        // Per component c: size, x0, y0, x1, y1 at [5c .. 5c + 4]
        int[] stats = scratch.stats;
        int next = 0;
        for (int start = 0; start < n; start++) {
            if (!mask[start] || label[start] != 0) {
                continue;
            }
            next++;
            if (5 * next + 4 >= stats.length) {
                stats = Arrays.copyOf(stats, stats.length * 2);
            }
            label[start] = next;
            int head = 0;
            int tail = 0;
            queue[tail++] = start;
            int x0 = w;
            int y0 = h;
            int x1 = -1;
            int y1 = -1;
            while (head < tail) {
                int p = queue[head++];
                int px = p % w;
                int py = p / w;
                x0 = Math.min(x0, px);
                y0 = Math.min(y0, py);
                x1 = Math.max(x1, px);
                y1 = Math.max(y1, py);
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = px + dx;
                        int ny = py + dy;
                        if (nx >= 0 && ny >= 0 && nx < w && ny < h) {
                            int q = ny * w + nx;
                            if (mask[q] && label[q] == 0) {
                                label[q] = next;
                                queue[tail++] = q;
                            }
                        }
                    }
                }
            }
            int c = 5 * next;
            stats[c] = tail;
            stats[c + 1] = x0;
            stats[c + 2] = y0;
            stats[c + 3] = x1;
            stats[c + 4] = y1;
        }
        scratch.stats = stats;
        if (next == 0) {
            throw new NoDigitFoundException("No digit was found in the image.");
        }
        int largest = 1;
        for (int i = 2; i <= next; i++) {
            if (stats[5 * i] > stats[5 * largest]) {
                largest = i;
            }
        }
        int minSize = Math.max(1, stats[5 * largest] / 10);
        // kept components are marked by negating their size; the box grows as near ones join
        int[] box = {stats[5 * largest + 1], stats[5 * largest + 2], stats[5 * largest + 3], stats[5 * largest + 4]};
        stats[5 * largest] = -stats[5 * largest];
        boolean grew = true;
        while (grew) {
            grew = false;
            int reach = (int) Math.ceil(NEAR * Math.max(box[2] - box[0] + 1, box[3] - box[1] + 1));
            for (int i = 1; i <= next; i++) {
                int c = 5 * i;
                if (stats[c] < minSize) {
                    continue; // a speck, or already kept
                }
                int gapX = Math.max(0, Math.max(stats[c + 1] - box[2], box[0] - stats[c + 3]));
                int gapY = Math.max(0, Math.max(stats[c + 2] - box[3], box[1] - stats[c + 4]));
                // the nearer a piece, the smaller it may be: a tenth of the largest at the box, a fifth at reach
                int gap = Math.max(gapX, gapY);
                if (gap <= reach && stats[c] >= minSize * (1 + gap / (double) Math.max(1, reach))) {
                    stats[c] = -stats[c];
                    box[0] = Math.min(box[0], stats[c + 1]);
                    box[1] = Math.min(box[1], stats[c + 2]);
                    box[2] = Math.max(box[2], stats[c + 3]);
                    box[3] = Math.max(box[3], stats[c + 4]);
                    grew = true;
                }
            }
        }
        for (int p = 0; p < n; p++) {
            if (mask[p] && stats[5 * label[p]] > 0) {
                mask[p] = false;
            }
        }
        return box;
    }

    private static boolean nearMask(boolean[] mask, int w, int h, int x, int y) {
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int nx = x + dx;
                int ny = y + dy;
                if (nx >= 0 && ny >= 0 && nx < w && ny < h && mask[ny * w + nx]) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A pen line on a large photo is a hair-line once scaled to 20 px, unlike MNIST's strokes of
     * about a tenth of the digit's height. Strokes much thinner than that are widened with a grey
     * dilation before scaling.
     */
    private static float[] thickenThinStrokes(float[] crop, int bw, int bh, boolean[] mask, int[] box, int w) {
        int area = 0;
        int boundary = 0;
        for (int y = box[1]; y <= box[3]; y++) {
            for (int x = box[0]; x <= box[2]; x++) {
                int p = y * w + x;
                if (!mask[p]) {
                    continue;
                }
                area++;
                boolean edge = x == box[0] || x == box[2] || y == box[1] || y == box[3]
                        || !mask[p - 1] || !mask[p + 1] || !mask[p - w] || !mask[p + w];
                if (edge) {
                    boundary++;
                }
            }
        }
        double strokeWidth = boundary == 0 ? 1 : 2.0 * area / boundary;
        double target = 0.1 * Math.max(bw, bh);
        int radius = (int) Math.round((target - strokeWidth) / 2);
        if (strokeWidth >= target * 0.6 || radius < 1) {
            return crop;
        }
        return maxFilter(crop, bw, bh, radius);
    }

    private static float[] maxFilter(float[] src, int w, int h, int r) {
        float[] tmp = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float m = 0f;
                for (int k = Math.max(0, x - r); k <= Math.min(w - 1, x + r); k++) {
                    m = Math.max(m, src[y * w + k]);
                }
                tmp[y * w + x] = m;
            }
        }
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float m = 0f;
                for (int k = Math.max(0, y - r); k <= Math.min(h - 1, y + r); k++) {
                    m = Math.max(m, tmp[k * w + x]);
                }
                out[y * w + x] = m;
            }
        }
        return out;
    }

    /**
     * Area-weighted resampling when shrinking, bilinear when enlarging, into the first
     * {@code dw * dh} values of {@code out}.
     */
    static float[] resample(float[] src, int sw, int sh, int dw, int dh, float[] out) {
        double fx = (double) sw / dw;
        double fy = (double) sh / dh;
        for (int y = 0; y < dh; y++) {
            for (int x = 0; x < dw; x++) {
                out[y * dw + x] = (fx >= 1 && fy >= 1)
                        ? areaAverage(src, sw, sh, x * fx, (x + 1) * fx, y * fy, (y + 1) * fy)
                        : bilinear(src, sw, sh, (x + 0.5) * fx - 0.5, (y + 0.5) * fy - 0.5);
            }
        }
        return out;
    }

    private static float areaAverage(float[] src, int sw, int sh, double x0, double x1, double y0, double y1) {
        double sum = 0;
        double weight = 0;
        int yEnd = Math.min(sh, (int) Math.ceil(y1));
        int xEnd = Math.min(sw, (int) Math.ceil(x1));
        for (int y = (int) y0; y < yEnd; y++) {
            double wy = Math.min(y + 1, y1) - Math.max(y, y0);
            for (int x = (int) x0; x < xEnd; x++) {
                double wx = Math.min(x + 1, x1) - Math.max(x, x0);
                sum += src[y * sw + x] * wx * wy;
                weight += wx * wy;
            }
        }
        return (float) (sum / weight);
    }

    private static float bilinear(float[] src, int sw, int sh, double x, double y) {
        x = Math.max(0, Math.min(sw - 1, x));
        y = Math.max(0, Math.min(sh - 1, y));
        int x0 = (int) x;
        int y0 = (int) y;
        int x1 = Math.min(sw - 1, x0 + 1);
        int y1 = Math.min(sh - 1, y0 + 1);
        double ax = x - x0;
        double ay = y - y0;
        double top = src[y0 * sw + x0] * (1 - ax) + src[y0 * sw + x1] * ax;
        double bottom = src[y1 * sw + x0] * (1 - ax) + src[y1 * sw + x1] * ax;
        return (float) (top * (1 - ay) + bottom * ay);
    }

    /** Places the patch in a 28x28 field with its centre of mass at the field's centre. */
    static float[] centreByMass(float[] patch, int pw, int ph) {
        double mass = 0;
        double mx = 0;
        double my = 0;
        for (int y = 0; y < ph; y++) {
            for (int x = 0; x < pw; x++) {
                float v = patch[y * pw + x];
                mass += v;
                mx += v * (x + 0.5);
                my += v * (y + 0.5);
            }
        }
        int ox = (int) Math.round(SIZE / 2.0 - mx / mass);
        int oy = (int) Math.round(SIZE / 2.0 - my / mass);
        float[] out = new float[SIZE * SIZE];
        for (int y = 0; y < ph; y++) {
            for (int x = 0; x < pw; x++) {
                int tx = x + ox;
                int ty = y + oy;
                if (tx >= 0 && ty >= 0 && tx < SIZE && ty < SIZE) {
                    out[ty * SIZE + tx] = patch[y * pw + x];
                }
            }
        }
        return out;
    }

    /** Otsu's threshold of the first {@code n} values, all in [0, 1], over 64 bins. */
    static float otsu(float[] values, int n) {
        int bins = 64;
        int[] hist = new int[bins];
        for (int i = 0; i < n; i++) {
            hist[Math.min(bins - 1, (int) (values[i] * bins))]++;
        }
        double total = n;
        double sumAll = 0;
        for (int i = 0; i < bins; i++) {
            sumAll += i * (double) hist[i];
        }
        double sumBack = 0;
        double weightBack = 0;
        double best = -1;
        int bestBin = bins / 2;
        for (int i = 0; i < bins; i++) {
            weightBack += hist[i];
            if (weightBack == 0) {
                continue;
            }
            double weightFore = total - weightBack;
            if (weightFore == 0) {
                break;
            }
            sumBack += i * (double) hist[i];
            double meanBack = sumBack / weightBack;
            double meanFore = (sumAll - sumBack) / weightFore;
            double between = weightBack * weightFore * (meanBack - meanFore) * (meanBack - meanFore);
            if (between > best) {
                best = between;
                bestBin = i;
            }
        }
        return (bestBin + 1) / (float) bins;
    }

    /** The q-quantile of the first {@code n} values, which are sorted in place. */
    static float percentileInPlace(float[] values, int n, double q) {
        Arrays.sort(values, 0, n);
        return values[(int) Math.min(n - 1, Math.floor(q * n))];
    }

    private static float clamp01(float v) {
        return v < 0f ? 0f : (v > 1f ? 1f : v);
    }

    /** Grey levels of an image, 0 black and 1 white; {@code values} may be longer than width x height. */
    record GrayImage(int width, int height, float[] values) {
        /**
         * The standard grey image's 256 levels through {@link #flattenedOnWhite}'s own path:
         * {@code getRGB} converts Java's linear grey to sRGB pixel by pixel, which was a twentieth
         * of a small upload's CPU; a grey image is read through this table instead, to the bit.
         */
        private static final float[] GRAY_LEVELS = grayLevels();

        private static float[] grayLevels() {
            BufferedImage levels = new BufferedImage(256, 1, BufferedImage.TYPE_BYTE_GRAY);
            for (int v = 0; v < 256; v++) {
                levels.getRaster().setSample(v, 0, 0, v);
            }
            int[] argb = levels.getRGB(0, 0, 256, 1, null, 0, 256);
            float[] out = new float[256];
            for (int v = 0; v < 256; v++) {
                out[v] = fromArgb(argb[v]);
            }
            return out;
        }

        static GrayImage flattenedOnWhite(BufferedImage image, Scratch scratch) {
            int w = image.getWidth();
            int h = image.getHeight();
            float[] out = scratch.floats(0, w * h);
            int[] row = scratch.row(w);
            boolean gray = image.getType() == BufferedImage.TYPE_BYTE_GRAY;
            for (int y = 0; y < h; y++) {
                if (gray) {
                    image.getRaster().getSamples(0, y, w, 1, 0, row);
                    for (int x = 0; x < w; x++) {
                        out[y * w + x] = GRAY_LEVELS[row[x]];
                    }
                } else {
                    image.getRGB(0, y, w, 1, row, 0, w);
                    for (int x = 0; x < w; x++) {
                        out[y * w + x] = fromArgb(row[x]);
                    }
                }
            }
            return new GrayImage(w, h, out);
        }

        /** A pixel's luminance in [0, 1] with its transparency flattened onto white. */
        private static float fromArgb(int argb) {
            float a = (argb >>> 24) / 255f;
            float lum = (0.299f * ((argb >> 16) & 0xFF) + 0.587f * ((argb >> 8) & 0xFF) + 0.114f * (argb & 0xFF)) / 255f;
            return a * lum + (1f - a);
        }

        /** This image, or one box-averaged to at most {@code limit} pixels a side. */
        GrayImage boxDownscaledTo(int limit, Scratch scratch) {
            int factor = (int) Math.ceil(Math.max(width, height) / (double) limit);
            if (factor <= 1) {
                return this;
            }
            int w = Math.max(1, width / factor);
            int h = Math.max(1, height / factor);
            return new GrayImage(w, h, resample(values, width, height, w, h, scratch.floats(1, w * h)));
        }

        /** The median of the outer frame (5% of each side, at least one pixel): the background. */
        float borderMedian(Scratch scratch) {
            int bx = Math.max(1, width / 20);
            int by = Math.max(1, height / 20);
            float[] border = scratch.floats(2, width * height);
            int n = 0;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    if (x < bx || y < by || x >= width - bx || y >= height - by) {
                        border[n++] = values[y * width + x];
                    }
                }
            }
            return percentileInPlace(border, n, 0.5);
        }
    }

    /**
     * One thread's working arrays, grown on demand up to {@link #KEPT} elements each. A larger
     * request gets a fresh array that is not kept, so a single huge upload does not pin its
     * memory to the thread.
     */
    static final class Scratch {
        private static final int KEPT = WORKING_SIZE * WORKING_SIZE;
        private final float[][] floats = new float[4][];
        private final int[][] ints = new int[3][];
        private boolean[] mask = new boolean[0];
        int[] stats = new int[5 * 64];

        /** Working array number {@code slot} (0-3) with room for {@code n} values; contents undefined. */
        float[] floats(int slot, int n) {
            float[] a = floats[slot];
            if (a == null || a.length < n) {
                a = new float[n];
                if (n <= KEPT) {
                    floats[slot] = a;
                }
            }
            return a;
        }

        private int[] ints(int slot, int n) {
            int[] a = ints[slot];
            if (a == null || a.length < n) {
                a = new int[n];
                if (n <= KEPT) {
                    ints[slot] = a;
                }
            }
            return a;
        }

        boolean[] mask(int n) {
            boolean[] a = mask;
            if (a.length < n) {
                a = new boolean[n];
                if (n <= KEPT) {
                    mask = a;
                }
            }
            return a;
        }

        /** Labels for {@code n} pixels, all 0. */
        int[] labels(int n) {
            int[] a = ints(0, n);
            Arrays.fill(a, 0, n, 0);
            return a;
        }

        int[] queue(int n) {
            return ints(1, n);
        }

        /** One row of ARGB values. */
        int[] row(int n) {
            return ints(2, n);
        }
    }
}
