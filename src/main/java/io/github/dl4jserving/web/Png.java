package io.github.dl4jserving.web;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** PNG encoding of single images and of a grid of equally sized tiles. */
final class Png {
    static final int GAP = 2;

    private Png() {}

    /**
     * Encodes through a memory cache: ImageIO's default cache is a temporary file whose stream
     * registers a JVM shutdown hook, which fails (and failed requests) during graceful shutdown.
     */
    static byte[] encode(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            if (!ImageIO.write(image, "png", stream)) {
                throw new IllegalStateException("No PNG writer is available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static final int MAX_SCALE = 8;

    /**
     * The tiles row by row in a near-square grid, {@code GAP} grey pixels apart, every pixel drawn as
     * a {@code scale} x {@code scale} block (nearest neighbour, so the digits stay sharp).
     */
    static BufferedImage grid(List<BufferedImage> tiles, int scale) {
        BufferedImage grid = grid(tiles);
        if (scale == 1) {
            return grid;
        }
        BufferedImage scaled =
                new BufferedImage(grid.getWidth() * scale, grid.getHeight() * scale, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = scaled.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(grid, 0, 0, scaled.getWidth(), scaled.getHeight(), null);
        } finally {
            g.dispose();
        }
        return scaled;
    }

    /** The tiles row by row in a near-square grid, {@code GAP} grey pixels apart. */
    static BufferedImage grid(List<BufferedImage> tiles) {
        int n = tiles.size();
        int columns = (int) Math.ceil(Math.sqrt(n));
        int rows = (n + columns - 1) / columns;
        int tw = tiles.get(0).getWidth();
        int th = tiles.get(0).getHeight();
        BufferedImage grid = new BufferedImage(
                columns * tw + (columns + 1) * GAP, rows * th + (rows + 1) * GAP, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = grid.createGraphics();
        try {
            g.setColor(new Color(96, 96, 96));
            g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
            for (int i = 0; i < n; i++) {
                g.drawImage(tiles.get(i), GAP + (i % columns) * (tw + GAP), GAP + (i / columns) * (th + GAP), null);
            }
        } finally {
            g.dispose();
        }
        return grid;
    }
}
