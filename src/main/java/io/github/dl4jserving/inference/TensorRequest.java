package io.github.dl4jserving.inference;

import java.util.List;

/**
 * One input tensor of the Open Inference Protocol, read from its wire form (the REST JSON body or
 * the gRPC message) by the protocol's adapter: the same checks and the same inference behind both.
 * Either {@code numbers} (FP32, FP64, INT32 or UINT8 elements, row-major, already held to their
 * datatype's range by {@link TensorDatatype#element}) or {@code images} (a BYTES tensor of encoded images) is set.
 *
 * @param datatype       the tensor's datatype
 * @param shape          its dimensions, each checked positive by {@link #elements}
 * @param numbers        the elements of a numeric tensor, or null
 * @param images         the encoded images of a BYTES tensor, or null
 * @param classification the Triton classification extension's k (the k best classes per row instead
 *                       of the scores), or 0 for the raw output tensor
 */
public record TensorRequest(
        TensorDatatype datatype, List<Long> shape, float[] numbers, List<byte[]> images, int classification) {
    /**
     * The number of elements {@code shape} holds: refuses an empty shape, a dimension below 1 and a
     * product past what one request can carry (it could only overflow or exhaust memory), so a
     * hostile shape is refused before anything is sized by it.
     */
    public static long elements(List<Long> shape) {
        if (shape == null || shape.isEmpty()) {
            throw new InvalidInputException("shape", "'shape' must be a non-empty array of dimensions.");
        }
        long product = 1;
        for (Long d : shape) {
            if (d == null || d < 1) {
                throw new InvalidInputException(
                        "shape", "'shape' dimensions must be positive integers, not " + d + ".");
            }
            if (d > Integer.MAX_VALUE || product * d > Integer.MAX_VALUE) {
                throw new InvalidInputException(
                        "shape", "'shape' " + shape + " holds more elements than one request can carry.");
            }
            product *= d;
        }
        return product;
    }

    /** Refuses contents whose element count is not the one the shape holds. */
    public static void checkCount(long count, List<Long> shape) {
        long expected = elements(shape);
        if (count != expected) {
            throw new InvalidInputException(
                    "data", "'data' has " + count + " elements but shape " + shape + " needs " + expected + ".");
        }
    }

    /**
     * A numeric tensor; the caller has held every element to its datatype with
     * {@link TensorDatatype#element}.
     */
    public static TensorRequest numbers(TensorDatatype datatype, List<Long> shape, float[] values, int classification) {
        checkCount(values.length, shape);
        return new TensorRequest(datatype, List.copyOf(shape), values, null, classification);
    }

    /** A BYTES tensor of encoded images, one per element. */
    public static TensorRequest images(List<Long> shape, List<byte[]> files, int classification) {
        checkCount(files.size(), shape);
        return new TensorRequest(TensorDatatype.BYTES, List.copyOf(shape), null, List.copyOf(files), classification);
    }

    /** Refuses a classification k below 1. */
    public static int classification(long k) {
        if (k < 1 || k > Integer.MAX_VALUE) {
            throw new InvalidInputException(
                    "classification", "'classification' must be a positive integer, not " + k + ".");
        }
        return (int) k;
    }
}
