package io.github.dl4jserving.datasets;

import java.awt.image.BufferedImage;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Turns any picture of a single handwritten digit into the 28x28 input the MNIST networks were
 * trained on, the way MNIST itself was made: grey levels with alpha flattened onto white, ink made
 * bright on a dark field whatever the original polarity, cropped to the ink (faint noise and small
 * specks ignored), the longest side scaled to 20 pixels with the aspect ratio kept, and the result
 * placed in a 28x28 field so that its centre of mass is in the middle.
 *
 * <p>Instances are stateless and thread-safe.
 */
public final class DigitImagePreprocessor {
    public static final int SIZE = 28;
    static final int BOX = 20;
    /** Larger inputs are box-averaged down to about this size first; the digit ends up 20 px anyway. */
    static final int WORKING_SIZE = 512;
    /** Ink below this contrast over the background counts as no ink at all. */
    static final float MIN_CONTRAST = 0.12f;

    /** Prepares a decoded image. */
    public PreparedDigit prepare(BufferedImage image) {
        GrayImage gray = GrayImage.flattenedOnWhite(image);
        return prepare(gray);
    }

    /**
     * Prepares grey levels given as {@code values[y * width + x]} in [0, 1], 0 black and 1 white:
     * the polarity is detected as for any image.
     */
    public PreparedDigit prepare(float[] values, int width, int height) {
        return prepare(new GrayImage(width, height, values.clone()));
    }

    private PreparedDigit prepare(GrayImage input) {
        GrayImage gray = input.boxDownscaledTo(WORKING_SIZE);
        boolean inverted = gray.borderMedian() > 0.5f;
        float[] ink = gray.values();
        if (inverted) {
            for (int i = 0; i < ink.length; i++) {
                ink[i] = 1f - ink[i];
            }
        }
        float[] sorted = ink.clone();
        Arrays.sort(sorted);
        // The background is the median; the ink level is near the brightest pixel, skipping a few
        // so a hot pixel cannot set it, but not a percentile: a small digit on a large canvas
        // covers far less than 1% of it.
        float lo = sorted[sorted.length / 2];
        float hi = sorted[sorted.length - 1 - Math.min(16, sorted.length / 500)];
        if (hi - lo < MIN_CONTRAST) {
            throw new NoDigitFoundException("The image has no visible ink: it is of one uniform shade. "
                    + "Send a picture of one dark digit on light paper or one light digit on a dark background.");
        }
        int w = gray.width();
        int h = gray.height();
        float[] norm = new float[ink.length];
        for (int i = 0; i < ink.length; i++) {
            norm[i] = clamp01((ink[i] - lo) / (hi - lo));
        }
        float threshold = Math.max(0.25f, Math.min(0.6f, otsu(norm)));
        boolean[] mask = new boolean[norm.length];
        for (int i = 0; i < norm.length; i++) {
            mask[i] = norm[i] > threshold;
        }
        int[] box = keepMainComponents(mask, w, h);
        // Keep the anti-aliased edge of the strokes, drop the faint paper texture around them.
        float floor = threshold * 0.5f;
        int bw = box[2] - box[0] + 1;
        int bh = box[3] - box[1] + 1;
        float[] crop = new float[bw * bh];
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
        float[] scaled = resample(crop, bw, bh, sw, sh);
        float max = 0f;
        for (float v : scaled) {
            max = Math.max(max, v);
        }
        if (max <= 0f) {
            throw new NoDigitFoundException("No digit was found in the image.");
        }
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = scaled[i] / max;
        }
        return new PreparedDigit(centreByMass(scaled, sw, sh), inverted);
    }

    /** Connected ink components; drops specks smaller than a tenth of the largest. Returns the bbox. */
    private static int[] keepMainComponents(boolean[] mask, int w, int h) {
        int[] label = new int[mask.length];
        int[] sizes = new int[16];
        int next = 0;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int start = 0; start < mask.length; start++) {
            if (!mask[start] || label[start] != 0) {
                continue;
            }
            next++;
            if (next >= sizes.length) {
                sizes = Arrays.copyOf(sizes, sizes.length * 2);
            }
            label[start] = next;
            queue.add(start);
            int size = 0;
            while (!queue.isEmpty()) {
                int p = queue.poll();
                size++;
                int px = p % w;
                int py = p / w;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = px + dx;
                        int ny = py + dy;
                        if (nx >= 0 && ny >= 0 && nx < w && ny < h) {
                            int q = ny * w + nx;
                            if (mask[q] && label[q] == 0) {
                                label[q] = next;
                                queue.add(q);
                            }
                        }
                    }
                }
            }
            sizes[next] = size;
        }
        int largest = 0;
        for (int i = 1; i <= next; i++) {
            largest = Math.max(largest, sizes[i]);
        }
        int minSize = Math.max(1, largest / 10);
        int x0 = w;
        int y0 = h;
        int x1 = -1;
        int y1 = -1;
        for (int p = 0; p < mask.length; p++) {
            if (mask[p] && sizes[label[p]] < minSize) {
                mask[p] = false;
            }
            if (mask[p]) {
                int x = p % w;
                int y = p / w;
                x0 = Math.min(x0, x);
                y0 = Math.min(y0, y);
                x1 = Math.max(x1, x);
                y1 = Math.max(y1, y);
            }
        }
        if (x1 < 0) {
            throw new NoDigitFoundException("No digit was found in the image.");
        }
        return new int[] {x0, y0, x1, y1};
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
        float[] tmp = new float[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float m = 0f;
                for (int k = Math.max(0, x - r); k <= Math.min(w - 1, x + r); k++) {
                    m = Math.max(m, src[y * w + k]);
                }
                tmp[y * w + x] = m;
            }
        }
        float[] out = new float[src.length];
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

    /** Area-weighted resampling when shrinking, bilinear when enlarging. */
    static float[] resample(float[] src, int sw, int sh, int dw, int dh) {
        float[] out = new float[dw * dh];
        double fx = (double) sw / dw;
        double fy = (double) sh / dh;
        for (int y = 0; y < dh; y++) {
            for (int x = 0; x < dw; x++) {
                out[y * dw + x] = (fx >= 1 && fy >= 1)
                        ? areaAverage(src, sw, x * fx, (x + 1) * fx, y * fy, (y + 1) * fy)
                        : bilinear(src, sw, sh, (x + 0.5) * fx - 0.5, (y + 0.5) * fy - 0.5);
            }
        }
        return out;
    }

    private static float areaAverage(float[] src, int sw, double x0, double x1, double y0, double y1) {
        double sum = 0;
        double weight = 0;
        int yEnd = Math.min(src.length / sw, (int) Math.ceil(y1));
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

    /** Otsu's threshold of values in [0, 1], over 64 bins. */
    static float otsu(float[] values) {
        int bins = 64;
        int[] hist = new int[bins];
        for (float v : values) {
            hist[Math.min(bins - 1, (int) (v * bins))]++;
        }
        double total = values.length;
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

    static float percentile(float[] values, double q) {
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    private static float clamp01(float v) {
        return v < 0f ? 0f : (v > 1f ? 1f : v);
    }

    /** Grey levels of an image, 0 black and 1 white. */
    record GrayImage(int width, int height, float[] values) {
        static GrayImage flattenedOnWhite(BufferedImage image) {
            int w = image.getWidth();
            int h = image.getHeight();
            float[] out = new float[w * h];
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int argb = row[x];
                    float a = (argb >>> 24) / 255f;
                    float lum = (0.299f * ((argb >> 16) & 0xFF) + 0.587f * ((argb >> 8) & 0xFF)
                            + 0.114f * (argb & 0xFF)) / 255f;
                    out[y * w + x] = a * lum + (1f - a);
                }
            }
            return new GrayImage(w, h, out);
        }

        GrayImage boxDownscaledTo(int limit) {
            int factor = (int) Math.ceil(Math.max(width, height) / (double) limit);
            if (factor <= 1) {
                return new GrayImage(width, height, values.clone());
            }
            int w = Math.max(1, width / factor);
            int h = Math.max(1, height / factor);
            return new GrayImage(w, h, resample(values, width, height, w, h));
        }

        /** The median of the outer frame (5% of each side, at least one pixel): the background. */
        float borderMedian() {
            int bx = Math.max(1, width / 20);
            int by = Math.max(1, height / 20);
            float[] border = new float[width * height];
            int n = 0;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    if (x < bx || y < by || x >= width - bx || y >= height - by) {
                        border[n++] = values[y * width + x];
                    }
                }
            }
            return percentile(Arrays.copyOf(border, n), 0.5);
        }
    }
}
