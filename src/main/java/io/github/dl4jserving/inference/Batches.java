package io.github.dl4jserving.inference;

import java.util.List;

/** The per-request limits and the flat row-by-row arrays a batch queue takes. */
final class Batches {
    private Batches() {}

    /** Refuses an empty request and one of more than {@code max} inputs, naming the inputs {@code what}. */
    static void check(int size, String what, int max) {
        if (size < 1) {
            throw new InvalidInputException("instances", "The request holds no " + what + ".");
        }
        if (size > max) {
            throw new InvalidInputException(
                    "instances", "The request holds " + size + " " + what + "s; send at most " + max + " per request.");
        }
    }

    /** {@code rows} of {@code width} values each, one after the other; a single row is not copied. */
    static float[] flatten(List<float[]> rows, int width) {
        if (rows.size() == 1 && rows.get(0).length == width) {
            return rows.get(0);
        }
        float[] flat = new float[rows.size() * width];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, flat, r * width, width);
        }
        return flat;
    }

    /** Table rows as the float rows a network takes. */
    static float[] flatRows(List<double[]> rows, int width) {
        float[] flat = new float[rows.size() * width];
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < width; c++) {
                flat[r * width + c] = (float) rows.get(r)[c];
            }
        }
        return flat;
    }
}
