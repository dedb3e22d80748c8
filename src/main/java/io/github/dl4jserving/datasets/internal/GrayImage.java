package io.github.dl4jserving.datasets.internal;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;

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
        if (gray && image.getProperty(TurboJpeg.LUMA) == Boolean.TRUE) {
            // libjpeg-turbo's grey is the JPEG's own luma, what fromArgb computes from colour pixels
            byte[] luma = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < w * h; i++) {
                out[i] = (luma[i] & 0xFF) / 255f;
            }
            return new GrayImage(w, h, out);
        }
        if (eightBitSrgb(image)) {
            // the samples row by row, band by band: what getRGB returns for these images, without
            // its per-pixel colour-model calls (most of a large JPEG's preparation)
            WritableRaster raster = image.getRaster();
            boolean alpha = raster.getNumBands() == 4;
            int[] r = new int[w];
            int[] g = new int[w];
            int[] b = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, r);
                raster.getSamples(0, y, w, 1, 1, g);
                raster.getSamples(0, y, w, 1, 2, b);
                if (alpha) {
                    raster.getSamples(0, y, w, 1, 3, row);
                }
                for (int x = 0; x < w; x++) {
                    float lum = (0.299f * r[x] + 0.587f * g[x] + 0.114f * b[x]) / 255f;
                    float a = alpha ? row[x] / 255f : 1f;
                    out[y * w + x] = a * lum + (1f - a);
                }
            }
            return new GrayImage(w, h, out);
        }
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

    /** RGB or RGBA in sRGB, 8 bits a sample, alpha not premultiplied: its samples are getRGB's values. */
    private static boolean eightBitSrgb(BufferedImage image) {
        ColorModel cm = image.getColorModel();
        int bands = image.getRaster().getNumBands();
        if (cm instanceof IndexColorModel
                || !cm.getColorSpace().isCS_sRGB()
                || cm.isAlphaPremultiplied()
                || !(bands == 3 && !cm.hasAlpha() || bands == 4 && cm.hasAlpha())) {
            return false;
        }
        for (int size : cm.getComponentSize()) {
            if (size != 8) {
                return false;
            }
        }
        return true;
    }

    /** A pixel's luminance in [0, 1] with its transparency flattened onto white. */
    private static float fromArgb(int argb) {
        float a = (argb >>> 24) / 255f;
        float lum = (0.299f * ((argb >> 16) & 0xFF) + 0.587f * ((argb >> 8) & 0xFF) + 0.114f * (argb & 0xFF)) / 255f;
        return a * lum + (1f - a);
    }

    /** This image, or one area-averaged to at most {@code limit} pixels a side. */
    GrayImage boxDownscaledTo(int limit, Scratch scratch) {
        double factor = Math.max(width, height) / (double) limit;
        if (factor <= 1) {
            return this;
        }
        // by the exact factor, not a whole one: 648 pixels become 512, not 324
        int w = Math.max(1, (int) Math.round(width / factor));
        int h = Math.max(1, (int) Math.round(height / factor));
        return new GrayImage(w, h, Resampling.resample(values, width, height, w, h, scratch.floats(1, w * h)));
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
        return GreyLevels.level(GreyLevels.histogram(border, n), n / 2);
    }
}
