import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import javax.imageio.ImageIO;

/**
 * Writes two phone-like JPEGs of bench/digit.png for bench/predict-png.lua (IMAGE=..., TYPE=image/jpeg): a 1024x768 photo of the
 * digit in dark ink on noisy paper (target/bench-photo.jpg), and the same photo stored sideways with
 * EXIF Orientation 6, as a phone saves a portrait shot (target/bench-photo-exif6.jpg).
 * Usage: java bench/PhotoJpegs.java
 */
public class PhotoJpegs {
    public static void main(String[] args) throws Exception {
        BufferedImage digit = ImageIO.read(new File("bench/digit.png"));
        int w = 1024;
        int h = 768;
        BufferedImage photo = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = Math.max(0, Math.min(255, 225 - x * 30 / w + (int) (random.nextGaussian() * 6)));
                photo.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        // the digit's light strokes become dark ink, drawn 10x over the middle of the page
        for (int y = 0; y < digit.getHeight() * 10; y++) {
            for (int x = 0; x < digit.getWidth() * 10; x++) {
                int ink = digit.getRaster().getSample(x / 10, y / 10, 0);
                int px = 380 + x;
                int py = 240 + y;
                int paper = photo.getRGB(px, py) & 0xFF;
                int v = paper - ink * (paper - 30) / 255;
                photo.setRGB(px, py, v << 16 | v << 8 | v);
            }
        }
        Files.createDirectories(Path.of("target"));
        ImageIO.write(photo, "jpg", new File("target/bench-photo.jpg"));
        BufferedImage sideways = new BufferedImage(h, w, BufferedImage.TYPE_INT_RGB);
        for (int sy = 0; sy < w; sy++) {
            for (int sx = 0; sx < h; sx++) {
                sideways.setRGB(sx, sy, photo.getRGB(w - 1 - sy, sx)); // EXIF 6: row 0 is the right side, column 0 the top
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(sideways, "jpg", out);
        byte[] jpeg = out.toByteArray();
        int rest = (jpeg[3] & 0xFF) == 0xE0 ? 4 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF)) : 2;
        byte[] exif = {'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6,
            0, 0, 0, 0, 0, 0};
        ByteArrayOutputStream tagged = new ByteArrayOutputStream();
        tagged.write(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1, 0, (byte) (exif.length + 2)});
        tagged.write(exif);
        tagged.write(jpeg, rest, jpeg.length - rest);
        Files.write(Path.of("target/bench-photo-exif6.jpg"), tagged.toByteArray());
        System.out.println("wrote target/bench-photo.jpg and target/bench-photo-exif6.jpg");
    }
}
