package io.github.dl4jserving.datasets;

/**
 * A digit ready for an MNIST network: 784 values in [0, 1], row by row, ink bright on black.
 *
 * @param pixels   the 28x28 field
 * @param inverted whether the original had dark ink on a light background
 */
public record PreparedDigit(float[] pixels, boolean inverted) {}
