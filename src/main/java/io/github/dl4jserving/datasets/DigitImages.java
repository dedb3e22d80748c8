package io.github.dl4jserving.datasets;

import io.github.dl4jserving.datasets.internal.DigitImagePreprocessor;
import io.github.dl4jserving.datasets.internal.ImageDecoder;
import java.util.List;

/**
 * Pictures of one handwritten digit made into the 28x28 input MNIST networks take: decoded from any
 * supported file (PNG, JPEG with its EXIF orientation, GIF, BMP, TIFF), of any size and polarity,
 * then prepared the way MNIST itself was made. Thread-safe.
 */
public final class DigitImages {
    /** The side of a prepared digit, in pixels. */
    public static final int SIZE = DigitImagePreprocessor.SIZE;
    /** The values of a prepared digit, row by row. */
    public static final int PIXELS = SIZE * SIZE;

    private static final DigitImagePreprocessor PREPROCESSOR = new DigitImagePreprocessor();
    /** The file formats read, for messages and documentation. */
    public static final String FORMATS = ImageDecoder.FORMAT_NAMES;

    private final ImageDecoder decoder;
    private final long maxRequestPixels;

    /**
     * {@code maxDimension} is the largest width or height a file may declare (larger ones are refused
     * unread), {@code maxRequestPixels} the pixels all the images of one request may declare together.
     */
    public DigitImages(int maxDimension, long maxRequestPixels) {
        this.decoder = new ImageDecoder(maxDimension);
        this.maxRequestPixels = maxRequestPixels;
    }

    /** A new budget for one request's images. */
    public PixelBudget budget() {
        return new PixelBudget(maxRequestPixels, "dl4j-serving.max-request-pixels");
    }

    /**
     * Refuses a request whose images together declare more pixels than a request may decode, by
     * their headers alone, before any of them is decoded: otherwise the images before the one that
     * passes the limit would be decoded for nothing. A file whose header cannot be read is left to
     * its decoding, which says what is wrong with it.
     */
    public void checkDeclaredPixels(List<byte[]> files) {
        if (files.size() < 2) {
            return;
        }
        PixelBudget declared = budget();
        for (byte[] file : files) {
            int[] size = decoder.declaredSize(file);
            if (size != null && size[0] > 0 && size[1] > 0) {
                declared.charge(size[0], size[1]);
            }
        }
    }

    /** Decodes an encoded image, charging it to the request's {@code budget}, and prepares the digit in it. */
    public PreparedDigit prepare(byte[] file, PixelBudget budget) {
        return PREPROCESSOR.prepare(decoder.decode(file, budget));
    }

    /**
     * Prepares grey levels given as {@code values[y * width + x]} in [0, 1], 0 black and 1 white;
     * the polarity is detected as for any image.
     */
    public static PreparedDigit prepareGreyLevels(float[] values, int width, int height) {
        return PREPROCESSOR.prepare(values, width, height);
    }
}
