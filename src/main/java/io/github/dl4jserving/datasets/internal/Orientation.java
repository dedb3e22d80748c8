package io.github.dl4jserving.datasets.internal;

import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.io.IOException;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataFormatImpl;
import javax.imageio.metadata.IIOMetadataNode;
import org.w3c.dom.Node;

/**
 * A photo's orientation as ImageIO's standard metadata names it, and the image turned upright by it:
 * phones store a portrait photo's pixels sideways and say so in its EXIF tag.
 */
final class Orientation {
    /** ImageIO's names of the EXIF orientations 1 to 8, as {@link #upright} takes them. */
    private static final String[] NAMES = {
        "Normal", "FlipH", "Rotate180", "FlipV", "FlipVRotate90", "Rotate270", "FlipHRotate90", "Rotate90"
    };

    private Orientation() {}

    /** The name of EXIF orientation {@code tag} (1 to 8). */
    static String exif(int tag) {
        return NAMES[tag - 1];
    }

    /** The standard metadata's {@code Dimension/ImageOrientation}, {@code Normal} when there is none. */
    static String of(ImageReader reader) throws IOException {
        IIOMetadata metadata = reader.getImageMetadata(0);
        if (metadata == null || !metadata.isStandardMetadataFormatSupported()) {
            return "Normal";
        }
        Node node = metadata.getAsTree(IIOMetadataFormatImpl.standardMetadataFormatName)
                .getFirstChild();
        for (; node != null; node = node.getNextSibling()) {
            if (node.getNodeName().equals("Dimension")) {
                for (Node d = node.getFirstChild(); d != null; d = d.getNextSibling()) {
                    if (d.getNodeName().equals("ImageOrientation") && d instanceof IIOMetadataNode n) {
                        return n.getAttribute("value");
                    }
                }
            }
        }
        return "Normal";
    }

    /**
     * {@code image} as it is meant to be seen, given its standard ImageIO orientation: the EXIF
     * values 1 to 8 are Normal, FlipH, Rotate180, FlipV, FlipVRotate90, Rotate270, FlipHRotate90 and
     * Rotate90, rotations counter-clockwise. The transforms map source pixel corners to the upright
     * image's, so nearest-neighbour sampling moves every pixel without blending.
     */
    static BufferedImage upright(BufferedImage image, String orientation) {
        double w = image.getWidth();
        double h = image.getHeight();
        AffineTransform t = switch (orientation) {
            case "FlipH" -> new AffineTransform(-1, 0, 0, 1, w, 0);
            case "Rotate180" -> new AffineTransform(-1, 0, 0, -1, w, h);
            case "FlipV" -> new AffineTransform(1, 0, 0, -1, 0, h);
            case "FlipVRotate90" -> new AffineTransform(0, 1, 1, 0, 0, 0); // EXIF 5: transpose
            case "Rotate270" -> new AffineTransform(0, 1, -1, 0, h, 0); // EXIF 6: 90 degrees clockwise
            case "FlipHRotate90" -> new AffineTransform(0, -1, -1, 0, h, w); // EXIF 7: transverse
            case "Rotate90" -> new AffineTransform(0, -1, 1, 0, 0, w); // EXIF 8: 90 degrees counter-clockwise
            default -> null;
        };
        return t == null
                ? image
                : new AffineTransformOp(t, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(image, null);
    }
}
