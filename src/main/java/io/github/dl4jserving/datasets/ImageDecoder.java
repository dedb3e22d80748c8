package io.github.dl4jserving.datasets;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes PNG, JPEG, GIF and BMP with ImageIO. The reader is asked for the declared size first,
 * so a small file that claims 50,000 x 50,000 pixels is refused before any pixel memory is taken.
 */
public class ImageDecoder {
    private final int maxDimension;

    public ImageDecoder(int maxDimension) {
        this.maxDimension = maxDimension;
    }

    public BufferedImage decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new UnreadableImageException("The image is empty. Send the bytes of a PNG, JPEG, GIF or BMP file.");
        }
        // A memory cache, not ImageIO's default temporary file: no disk I/O per request, and no
        // shutdown hook registered mid-request (which fails while the JVM is shutting down).
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new UnreadableImageException("The data is not an image in a supported format. "
                        + "Send a PNG, JPEG, GIF or BMP file.");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0) {
                    throw new UnreadableImageException("The image declares no pixels (" + width + "x" + height + ").");
                }
                if (width > maxDimension || height > maxDimension) {
                    throw new UnreadableImageException("The image is " + width + "x" + height
                            + " pixels; the largest accepted is " + maxDimension + "x" + maxDimension
                            + " (dl4j-serving.max-image-dimension). Scale it down before sending.");
                }
                BufferedImage image = reader.read(0);
                if (image == null) {
                    throw new UnreadableImageException("The image could not be decoded.");
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof UnreadableImageException u) {
                throw u;
            }
            throw new UnreadableImageException("The image could not be decoded: it is damaged or truncated. "
                    + "Send a complete PNG, JPEG, GIF or BMP file.");
        }
    }
}
