package io.github.dl4jserving.inference;

/**
 * One image of a request: an encoded file (PNG, JPEG, GIF, BMP) or 784 grey levels from 0 to 255,
 * row by row. Exactly one of the two is set.
 */
public record ImageInput(byte[] file, float[] pixels) {

    public static ImageInput file(byte[] bytes) {
        return new ImageInput(bytes, null);
    }

    public static ImageInput pixels(float[] levels) {
        return new ImageInput(null, levels);
    }
}
