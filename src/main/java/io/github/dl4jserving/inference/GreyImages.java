package io.github.dl4jserving.inference;

import java.awt.image.BufferedImage;

/** Square grey images from a network's pixel rows, for answers that are pictures. */
final class GreyImages {
    private GreyImages() {}

    /** {@code pixels}, row by row, mapped from {@code [low, high]} (clamped) to grey levels 0 to 255. */
    static BufferedImage of(float[] pixels, float low, float high) {
        int side = (int) Math.round(Math.sqrt(pixels.length));
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        float scale = 255f / (high - low);
        for (int i = 0; i < pixels.length; i++) {
            float v = Math.max(low, Math.min(high, pixels[i]));
            img.getRaster().setSample(i % side, i / side, 0, Math.round((v - low) * scale));
        }
        return img;
    }
}
