package io.github.dl4jserving.training.internal;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Generated digits side by side in one grey picture, white on black as MNIST draws them. */
public final class SampleGrid {
    private static final int GAP = 2;

    private SampleGrid() {}

    /**
     * The first {@code columns * rows} of {@code images} ({@code [n, 1, 28, 28]} in [-1, 1]), each
     * enlarged {@code scale} times, with a dark gap between them.
     */
    public static BufferedImage of(INDArray images, int columns, int rows, int scale) {
        int side = (int) images.size(2);
        int cell = side * scale + GAP;
        BufferedImage grid = new BufferedImage(columns * cell + GAP, rows * cell + GAP, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = grid.getRaster();
        int n = (int) Math.min(images.size(0), (long) columns * rows);
        for (int k = 0; k < n; k++) {
            float[] px = images.get(org.nd4j.linalg.indexing.NDArrayIndex.point(k))
                    .reshape(side * side)
                    .toFloatVector();
            int x0 = GAP + (k % columns) * cell;
            int y0 = GAP + (k / columns) * cell;
            for (int y = 0; y < side * scale; y++) {
                for (int x = 0; x < side * scale; x++) {
                    float v = Math.max(-1f, Math.min(1f, px[(y / scale) * side + x / scale]));
                    raster.setSample(x0 + x, y0 + y, 0, Math.round((v + 1f) * 127.5f));
                }
            }
        }
        return grid;
    }
}
