package io.github.dl4jserving.datasets.internal;

import io.github.dl4jserving.datasets.NoDigitFoundException;
import java.util.Arrays;

/** Which connected pieces of ink in a thresholded image make up the digit. */
final class InkComponents {
    private InkComponents() {}

    /**
     * Connected ink components. The digit is the largest one and the components that lie near it:
     * specks smaller than a tenth of the largest are dropped, and so are larger ones that are not
     * within {@link DigitImagePreprocessor#NEAR} of the digit's growing box, so dense speckle around a small digit cannot
     * stretch the crop and leave the digit tiny in the 28x28 field. A digit whose strokes broke into
     * pieces keeps them all: each piece lies within that distance of the others. Returns the bbox.
     */
    static int[] keepMainComponents(boolean[] mask, int w, int h, Scratch scratch) {
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
            int reach =
                    (int) Math.ceil(DigitImagePreprocessor.NEAR * Math.max(box[2] - box[0] + 1, box[3] - box[1] + 1));
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
}
