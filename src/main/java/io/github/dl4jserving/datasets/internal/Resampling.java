package io.github.dl4jserving.datasets.internal;

/** Grey images resized and filtered, as float arrays of rows. */
final class Resampling {
    private Resampling() {}

    /** The maximum over a square of {@code 2r + 1} pixels around each pixel: strokes thickened by {@code r}. */
    static float[] maxFilter(float[] src, int w, int h, int r) {
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
}
