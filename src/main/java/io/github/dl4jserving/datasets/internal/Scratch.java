package io.github.dl4jserving.datasets.internal;

import java.util.Arrays;

/**
 * One thread's working arrays, grown on demand up to {@link #KEPT} elements each. A larger
 * request gets a fresh array that is not kept, so a single huge upload does not pin its
 * memory to the thread.
 */
final class Scratch {
    private static final int KEPT = DigitImagePreprocessor.WORKING_SIZE * DigitImagePreprocessor.WORKING_SIZE;
    private final float[][] floats = new float[6][];
    private final int[][] ints = new int[3][];
    private boolean[] mask = new boolean[0];
    int[] stats = new int[6 * 64];

    /** Working array number {@code slot} (0-5) with room for {@code n} values; contents undefined. */
    float[] floats(int slot, int n) {
        float[] a = floats[slot];
        if (a == null || a.length < n) {
            a = new float[n];
            if (n <= KEPT) {
                floats[slot] = a;
            }
        }
        return a;
    }

    private int[] ints(int slot, int n) {
        int[] a = ints[slot];
        if (a == null || a.length < n) {
            a = new int[n];
            if (n <= KEPT) {
                ints[slot] = a;
            }
        }
        return a;
    }

    boolean[] mask(int n) {
        boolean[] a = mask;
        if (a.length < n) {
            a = new boolean[n];
            if (n <= KEPT) {
                mask = a;
            }
        }
        return a;
    }

    /** Labels for {@code n} pixels, all 0. */
    int[] labels(int n) {
        int[] a = ints(0, n);
        Arrays.fill(a, 0, n, 0);
        return a;
    }

    int[] queue(int n) {
        return ints(1, n);
    }

    /** One row of ARGB values. */
    int[] row(int n) {
        return ints(2, n);
    }
}
