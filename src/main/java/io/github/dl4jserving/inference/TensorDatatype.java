package io.github.dl4jserving.inference;

/**
 * The datatypes an Open Inference Protocol input tensor may have here: numbers the networks take as
 * 32-bit floats, and BYTES for encoded images. Each element is held to its datatype's range as it is
 * read; the field name for an error is built only when there is one, since a row has hundreds.
 */
public enum TensorDatatype {
    FP32,
    FP64,
    INT32,
    UINT8,
    /** Encoded images, one per element. */
    BYTES;

    /** The datatype named {@code name}, or a refusal naming those taken. */
    public static TensorDatatype of(String name) {
        for (TensorDatatype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new InvalidInputException(
                "datatype",
                "Unsupported datatype '" + name + "': use FP32, FP64, INT32, UINT8, or BYTES for encoded images.");
    }

    /**
     * Element {@code index} as the float the networks compute in, refused when it is not a value of
     * this datatype (NaN or infinite, a fraction for INT32, 256 for UINT8) or beyond a float's range.
     */
    public float element(double value, int index) {
        boolean valid = switch (this) {
            case INT32 -> value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE && value == Math.rint(value);
            case UINT8 -> value >= 0 && value <= 255 && value == Math.rint(value);
            default -> !Double.isNaN(value) && !Double.isInfinite(value);
        };
        if (!valid) {
            throw new InvalidInputException("data", "data[" + index + "] = " + value + " is not a valid " + this + ".");
        }
        float f = (float) value;
        return Float.isInfinite(f) ? JsonValues.toFloat(value, "data[" + index + "]") : f;
    }
}
