package io.github.dl4jserving.datasets.internal;

import io.github.dl4jserving.datasets.NoDigitFoundException;
import java.util.Arrays;

/** Which connected pieces of ink in a thresholded image make up the digit. */
final class InkComponents {
    private InkComponents() {}

    /** Values per component in the stats array. */
    private static final int S = 7;

    static final String NO_DIGIT = "No digit was found in the image: nothing in it has the size and strokes of a "
            + "handwritten digit (the edges of the paper, lines, shadows and specks are not taken for one). "
            + "Photograph one digit, at least a tenth of the picture's height, away from the edges; "
            + "POST the image to /prepare to see what the service made of it.";

    /**
     * The largest component that looks like a handwritten digit, 0 if none: at least 3% of the
     * short side long, drawn with strokes (a filled blob such as a shadow's remnant is not), not a
     * horizontal line (at most 4 times as wide as high; a "1" may be a thin vertical line, but not
     * one of hair-line width over 70% of the frame's height, nor, in a photo, a perfectly straight
     * piece of ruled line two pixels wide: a hand does not draw one) and,
     * unless {@code onBorder}, clear of the frame's edge. With {@code onBorder}, a component on the
     * edge qualifies unless it lies along it or across the frame, such as the edge of a desk, a
     * ruled line, squared paper, or what uneven light leaves along the edges. With {@code filled},
     * a blob clear of the edge qualifies if it is at least 30% of the short side long and fills
     * less than 80% of its box: a digit written with a fat marker fills most of its outline.
     */
    private static int pickDigit(int[] stats, int count, int w, int h, boolean onBorder, boolean filled) {
        int best = 0;
        int shortSide = Math.min(w, h);
        for (int i = 1; i <= count; i++) {
            int c = S * i;
            int bw = stats[c + 3] - stats[c + 1] + 1;
            int bh = stats[c + 4] - stats[c + 2] + 1;
            int longSide = Math.max(bw, bh);
            double stroke = 2.0 * stats[c] / Math.max(1, stats[c + 5]);
            boolean ruledLine = (bh >= 0.7 * h && stroke < 0.05 * bh)
                    || (shortSide >= DigitImagePreprocessor.PHOTO_SIDE && Math.min(bw, bh) <= 2 && longSide >= 16);
            boolean digitLike = longSide >= Math.max(3, 0.03 * shortSide)
                    && (filled ? longSide >= 0.3 * shortSide && stats[c] < 0.8 * bw * bh : stroke <= 0.4 * longSide)
                    && bw <= 4 * bh
                    && !ruledLine;
            boolean border = touchesBorder(stats, c, w, h);
            boolean band = stats[c + 6] >= 0.5 * stats[c];
            if (!digitLike || band || (border && (!onBorder || strip(stats, c, w, h)))) {
                continue;
            }
            if (best == 0 || stats[c] > stats[S * best]) {
                best = i;
            }
        }
        return best;
    }

    private static boolean touchesBorder(int[] stats, int c, int w, int h) {
        return stats[c + 1] == 0 || stats[c + 2] == 0 || stats[c + 3] == w - 1 || stats[c + 4] == h - 1;
    }

    /**
     * A band along the frame's edge (half its pixels within a tenth of the short side of it), a
     * strip across the frame from one edge to the other, or a net that reaches all four edges with a
     * quarter of its pixels near them (squared paper).
     */
    private static boolean strip(int[] stats, int c, int w, int h) {
        int bw = stats[c + 3] - stats[c + 1] + 1;
        int bh = stats[c + 4] - stats[c + 2] + 1;
        double nearEdge = stats[c + 6] / (double) stats[c];
        boolean acrossX = stats[c + 1] == 0 && stats[c + 3] == w - 1;
        boolean acrossY = stats[c + 2] == 0 && stats[c + 4] == h - 1;
        return nearEdge >= 0.5
                || (acrossX && bh <= h / 4)
                || (acrossY && bw <= w / 4)
                || (acrossX && acrossY && nearEdge >= 0.25);
    }

    /**
     * Connected ink components. The digit is the largest one that looks like a digit ({@link
     * #pickDigit}) and the components that lie near it, none on the frame's edge unless the digit
     * is: specks smaller than a tenth of it are dropped, and so are larger ones that are not
     * within {@link DigitImagePreprocessor#NEAR} of the digit's growing box, so dense speckle around a small digit cannot
     * stretch the crop and leave the digit tiny in the 28x28 field. A digit whose strokes broke into
     * pieces keeps them all: each piece lies within that distance of the others. Returns the bbox.
     */
    static int[] keepMainComponents(boolean[] mask, int w, int h, Scratch scratch) {
        int n = w * h;
        int[] label = scratch.labels(n);
        // Every pixel joins the queue at most once, so a plain array of n holds it.
        int[] queue = scratch.queue(n);
        // Per component c: size, x0, y0, x1, y1, boundary pixels, pixels near the frame's edge at [S*c ..]
        int[] stats = scratch.stats;
        int boundary = 0;
        int nearEdge = 0;
        int margin = Math.max(2, Math.min(w, h) / 10);
        int next = 0;
        for (int start = 0; start < n; start++) {
            if (!mask[start] || label[start] != 0) {
                continue;
            }
            next++;
            if (S * next + S - 1 >= stats.length) {
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
            boundary = 0;
            nearEdge = 0;
            while (head < tail) {
                int p = queue[head++];
                int px = p % w;
                int py = p / w;
                x0 = Math.min(x0, px);
                y0 = Math.min(y0, py);
                x1 = Math.max(x1, px);
                y1 = Math.max(y1, py);
                if (px == 0
                        || py == 0
                        || px == w - 1
                        || py == h - 1
                        || !mask[p - 1]
                        || !mask[p + 1]
                        || !mask[p - w]
                        || !mask[p + w]) {
                    boundary++;
                }
                if (px < margin || py < margin || px >= w - margin || py >= h - margin) {
                    nearEdge++;
                }
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
            int c = S * next;
            stats[c] = tail;
            stats[c + 1] = x0;
            stats[c + 2] = y0;
            stats[c + 3] = x1;
            stats[c + 4] = y1;
            stats[c + 5] = boundary;
            stats[c + 6] = nearEdge;
        }
        scratch.stats = stats;
        if (next == 0) {
            throw new NoDigitFoundException(NO_DIGIT);
        }
        int seed = pickDigit(stats, next, w, h, false, false);
        if (seed == 0) {
            seed = pickDigit(stats, next, w, h, true, false);
        }
        if (seed == 0) {
            seed = pickDigit(stats, next, w, h, false, true);
        }
        if (seed == 0) {
            throw new NoDigitFoundException(NO_DIGIT);
        }
        boolean seedOnBorder = touchesBorder(stats, S * seed, w, h);
        int minSize = Math.max(1, stats[S * seed] / 10);
        // kept components are marked by negating their size; the box grows as near ones join
        int[] box = {stats[S * seed + 1], stats[S * seed + 2], stats[S * seed + 3], stats[S * seed + 4]};
        stats[S * seed] = -stats[S * seed];
        boolean grew = true;
        while (grew) {
            grew = false;
            int reach =
                    (int) Math.ceil(DigitImagePreprocessor.NEAR * Math.max(box[2] - box[0] + 1, box[3] - box[1] + 1));
            for (int i = 1; i <= next; i++) {
                int c = S * i;
                if (stats[c] < minSize || (!seedOnBorder && touchesBorder(stats, c, w, h))) {
                    continue; // a speck, already kept, or the frame's edge (a desk, a shadow) beside the digit
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
            if (mask[p] && stats[S * label[p]] > 0) {
                mask[p] = false;
            }
        }
        return box;
    }
}
