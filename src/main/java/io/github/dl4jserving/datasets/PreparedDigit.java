package io.github.dl4jserving.datasets;

import java.awt.image.BufferedImage;

/**
 * A digit ready for an MNIST network: 784 values in [0, 1], row by row, ink bright on black.
 *
 * @param pixels   the 28x28 field
 * @param inverted whether the original had dark ink on a light background
 */
public record PreparedDigit(float[] pixels, boolean inverted) {

    /** The field as an 8-bit grey image, as MNIST stores it, to show people what the model saw. */
    public BufferedImage toImage() {
        int size = DigitImagePreprocessor.SIZE;
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                image.getRaster().setSample(x, y, 0, Math.round(pixels[y * size + x] * 255f));
            }
        }
        return image;
    }
}
