package io.github.dl4jserving.datasets.internal;

/**
 * The background of a grey image, ink bright: a grey opening (a minimum filter, then a maximum
 * filter, over a square) removes every bright structure narrower than the square, such as pen
 * strokes, and keeps what is wider, such as a lighting gradient, vignetting, a shadow or a sticky
 * note. The filters are van Herk/Gil-Werman's, three comparisons per pixel whatever the square's
 * size.
 */
final class Background {
    private Background() {}

    /** The opening of the first {@code w * h} values of {@code src} by a square of side {@code 2r + 1}, into {@code out}. */
    static float[] opening(float[] src, int w, int h, int r, float[] out, float[] tmp) {
        filter(src, tmp, w, h, r, false);
        filter(tmp, out, w, h, r, true);
        return out;
    }

    /**
     * Subtracts from the first {@code w * h} values of {@code ink} what runs unbroken across at least
     * {@code length} pixels of a row (an opening by a horizontal line): ruled lines, not strokes.
     */
    static void removeHorizontalLines(float[] ink, int w, int h, int length) {
        int r = length / 2;
        float[] line = new float[w];
        float[] eroded = new float[w];
        float[] opened = new float[w];
        float[] g = new float[w];
        float[] hh = new float[w];
        for (int y = 0; y < h; y++) {
            System.arraycopy(ink, y * w, line, 0, w);
            line(line, w, r, false, eroded, g, hh);
            line(eroded, w, r, true, opened, g, hh);
            for (int x = 0; x < w; x++) {
                ink[y * w + x] = Math.max(0f, line[x] - opened[x]);
            }
        }
    }

    /** A separable minimum ({@code max} false) or maximum filter over a square, rows then columns. */
    private static void filter(float[] src, float[] out, int w, int h, int r, boolean max) {
        float[] rows = new float[w * h];
        int longest = Math.max(w, h);
        float[] line = new float[longest];
        float[] result = new float[longest];
        float[] g = new float[longest];
        float[] hh = new float[longest];
        for (int y = 0; y < h; y++) {
            System.arraycopy(src, y * w, line, 0, w);
            line(line, w, r, max, result, g, hh);
            System.arraycopy(result, 0, rows, y * w, w);
        }
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                line[y] = rows[y * w + x];
            }
            line(line, h, r, max, result, g, hh);
            for (int y = 0; y < h; y++) {
                out[y * w + x] = result[y];
            }
        }
    }

    /**
     * {@code out[i]} = the min (or max) of {@code in[i - r .. i + r]}, the window shrunk evenly to
     * fit within the line's {@code n} values.
     */
    static void line(float[] in, int n, int r, boolean max, float[] out, float[] g, float[] hh) {
        int k = 2 * r + 1;
        for (int start = 0; start < n; start += k) {
            int end = Math.min(n, start + k) - 1;
            g[start] = in[start];
            for (int i = start + 1; i <= end; i++) {
                g[i] = pick(g[i - 1], in[i], max);
            }
            hh[end] = in[end];
            for (int i = end - 1; i >= start; i--) {
                hh[i] = pick(hh[i + 1], in[i], max);
            }
        }
        for (int i = r; i + r < n; i++) {
            out[i] = pick(hh[i - r], g[i + r], max);
        }
        // Near the ends the window shrinks evenly, to [0, 2i] or [2i - n + 1, n - 1], so that light
        // rising towards the frame's edge (vignetting, a gradient) is followed to the edge, not cut
        // off; running minima (maxima) give each in one step.
        float left = in[0];
        for (int i = 0; i < r && i <= n - 1 - i; i++) {
            if (i > 0) {
                left = pick(left, pick(in[2 * i - 1], in[2 * i], max), max);
            }
            out[i] = left;
        }
        float right = in[n - 1];
        for (int i = n - 1; n - 1 - i < r && n - 1 - i < i; i--) {
            if (i < n - 1) {
                right = pick(right, pick(in[2 * i - n + 1], in[2 * i - n + 2], max), max);
            }
            out[i] = right;
        }
    }

    private static float pick(float a, float b, boolean max) {
        return max ? Math.max(a, b) : Math.min(a, b);
    }
}
