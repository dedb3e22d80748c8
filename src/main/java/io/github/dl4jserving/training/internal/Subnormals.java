package io.github.dl4jserving.training.internal;

/**
 * Keeps float arithmetic out of the subnormal range, where each operation costs the CPU a
 * microcode assist of a hundred cycles or more. Weights that L2 and Adam drive to zero (those of
 * the MNIST border pixels, which are always 0) and their Adam moments sink below float's smallest
 * normal number in the fourth epoch of an mnist-mlp job, and the job's epochs then took 2.7 times
 * as long, most of it in OpenBLAS (docs/performance.md). Java cannot set the CPU's flush-to-zero
 * mode; this does the same by arithmetic that the JIT still vectorises.
 */
final class Subnormals {
    /**
     * 2^-60: the floats near it are multiples of 2^-83, so for a small x {@code (x + SHIFT) - SHIFT}
     * is x rounded to a multiple of 2^-83. Flushing only the subnormals, to multiples of 2^-126,
     * left weights stuck at 2^-126, whose products with a layer's deltas were subnormal again:
     * epochs 4 to 7 still took 1.4 times as long.
     */
    private static final float SHIFT = 0x1p-60f;

    private Subnormals() {}

    /**
     * {@code x} with its part below 2^-83 (about 1e-25) rounded off: anything under half of that
     * becomes 0, and no result is subnormal. Weights, gradients and Adam's moments that small are
     * noise (Adam's epsilon is 1e-8); values of magnitude 2^-35 (about 3e-11) or more come
     * back unchanged.
     */
    static float flush(float x) {
        return (x + SHIFT) - SHIFT;
    }
}
