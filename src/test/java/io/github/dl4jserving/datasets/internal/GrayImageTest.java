package io.github.dl4jserving.datasets.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Grey levels read straight from the raster are those getRGB gives, to the bit. */
class GrayImageTest {
    @ParameterizedTest
    @ValueSource(
            ints = {
                BufferedImage.TYPE_3BYTE_BGR,
                BufferedImage.TYPE_INT_RGB,
                BufferedImage.TYPE_INT_ARGB,
                BufferedImage.TYPE_4BYTE_ABGR,
                BufferedImage.TYPE_INT_BGR,
                BufferedImage.TYPE_INT_ARGB_PRE,
                BufferedImage.TYPE_BYTE_INDEXED
            })
    void rasterSamplesGiveTheLevelsOfGetRgb(int type) {
        Random random = new Random(type);
        BufferedImage image = new BufferedImage(37, 23, type);
        for (int y = 0; y < 23; y++) {
            for (int x = 0; x < 37; x++) {
                image.setRGB(x, y, random.nextInt());
            }
        }
        GrayImage gray = GrayImage.flattenedOnWhite(image, new Scratch());
        for (int y = 0; y < 23; y++) {
            for (int x = 0; x < 37; x++) {
                int argb = image.getRGB(x, y);
                float a = (argb >>> 24) / 255f;
                float lum = (0.299f * ((argb >> 16) & 0xFF) + 0.587f * ((argb >> 8) & 0xFF) + 0.114f * (argb & 0xFF))
                        / 255f;
                assertThat(gray.values()[y * 37 + x]).as("%d,%d", x, y).isEqualTo(a * lum + (1f - a));
            }
        }
    }
}
