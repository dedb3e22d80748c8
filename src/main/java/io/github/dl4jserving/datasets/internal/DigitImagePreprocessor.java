package io.github.dl4jserving.datasets.internal;

import io.github.dl4jserving.datasets.NoDigitFoundException;
import io.github.dl4jserving.datasets.PreparedDigit;
import java.awt.image.BufferedImage;

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
    /**
     * The same in a photo, after its light is evened out: ink, pencil included, is at least a
     * quarter darker than the paper beside it; ruled lines, thinned by the downscaling, are not.
     */
    static final float MIN_PHOTO_CONTRAST = 0.25f;

    /**
     * How much the background may vary (2nd to 98th percentile) before it is taken out: paper
     * under even light varies by its grain, a photo lit 2:1 by half its brightness.
     */
    static final float LIGHTING_SPREAD = 0.06f;
    /**
     * Working images at least this many pixels on their short side are photos: their light is
     * evened out and their ruled lines are taken out. A smaller image is a scan, a crop or a
     * drawing: its digit may fill the frame, with strokes as wide as any background estimate and a
     * bar that spans it.
     */
    static final int PHOTO_SIDE = 256;

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
        boolean photo = Math.min(w, h) >= PHOTO_SIDE;
        if (photo) {
            flattenLighting(ink, w, h, inverted, scratch);
            // Ruled lines run across the page; no stroke of a digit in a photo does.
            Background.removeHorizontalLines(ink, w, h, (int) (0.85 * w));
        }
        // The background is the median; the ink level is near the brightest pixel, skipping a few
        // so a hot pixel cannot set it, but not a percentile: a small digit on a large canvas
        // covers far less than 1% of it.
        int[] histogram = GreyLevels.histogram(ink, n);
        float lo = GreyLevels.level(histogram, n / 2);
        float hi = GreyLevels.level(histogram, n - 1 - Math.min(16, n / 500));
        if (hi - lo < (photo ? MIN_PHOTO_CONTRAST : MIN_CONTRAST)) {
            throw new NoDigitFoundException("The image has no visible ink: nothing in it stands out from its "
                    + "background"
                    + (photo
                            ? " by a quarter of the paper's brightness, as ink does (ruled lines "
                                    + "and paper texture do not)"
                            : "")
                    + ". Send a picture of one dark digit on light paper or "
                    + "one light digit on a dark background.");
        }
        float[] norm = scratch.floats(3, n);
        for (int i = 0; i < n; i++) {
            norm[i] = clamp01((ink[i] - lo) / (hi - lo));
        }
        float threshold = Math.max(0.25f, Math.min(0.6f, GreyLevels.otsu(norm, n)));
        boolean[] mask = scratch.mask(n);
        for (int i = 0; i < n; i++) {
            mask[i] = norm[i] > threshold;
        }
        int[] box = InkComponents.keepMainComponents(mask, w, h, scratch);
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
        float[] scaled = Resampling.resample(crop, bw, bh, sw, sh, scratch.floats(0, sw * sh));
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
     * Takes uneven light out of the ink image (ink bright): its background, an opening by a square
     * of a fifth of the short side (wider than any stroke, narrower than most sticky notes), is
     * subtracted; on paper the difference is also divided by the paper's own brightness there, so
     * that a stroke in a shadow or a dim corner has the contrast it has in full light. An image
     * whose background hardly varies is left as it is.
     */
    private static void flattenLighting(float[] ink, int w, int h, boolean paper, Scratch scratch) {
        int n = w * h;
        int r = Math.max(4, Math.min(w, h) / 10);
        float[] bg = Background.opening(ink, w, h, r, scratch.floats(4, n), scratch.floats(5, n));
        int[] histogram = GreyLevels.histogram(bg, n);
        if (GreyLevels.level(histogram, n - 1 - n / 50) - GreyLevels.level(histogram, n / 50) < LIGHTING_SPREAD) {
            return;
        }
        for (int i = 0; i < n; i++) {
            float d = ink[i] - bg[i];
            ink[i] = d <= 0f ? 0f : paper ? Math.min(1f, d / Math.max(0.25f, 1f - bg[i])) : d;
        }
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
                boolean edge = x == box[0]
                        || x == box[2]
                        || y == box[1]
                        || y == box[3]
                        || !mask[p - 1]
                        || !mask[p + 1]
                        || !mask[p - w]
                        || !mask[p + w];
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
        return Resampling.maxFilter(crop, bw, bh, radius);
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

    private static float clamp01(float v) {
        return v < 0f ? 0f : (v > 1f ? 1f : v);
    }
}
