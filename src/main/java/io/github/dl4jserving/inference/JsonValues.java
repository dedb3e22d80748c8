package io.github.dl4jserving.inference;

import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * JSON request values, already parsed into maps, lists, numbers and strings, checked one at a time:
 * each refusal is an {@link InvalidInputException} naming the field at fault.
 */
public final class JsonValues {
    private JsonValues() {}

    /** The body as a JSON object. */
    public static Map<?, ?> object(Object body) {
        if (body instanceof Map<?, ?> map) {
            return map;
        }
        throw new InvalidInputException(
                "body",
                "The JSON body must be an object such as {\"image\": \"<base64>\"}, "
                        + "{\"pixels\": [...]}, {\"features\": {...}}, {\"instances\": [...]} or {\"count\": 16, \"seed\": 42}.");
    }

    /** A finite JSON number. */
    public static double number(Object v, String field) {
        if (!(v instanceof Number n)) {
            throw new InvalidInputException(
                    field,
                    field + " must be a number, not "
                            + (v == null
                                    ? "null"
                                    : v instanceof String
                                            ? "a string"
                                            : "a " + v.getClass().getSimpleName())
                            + ".");
        }
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new InvalidInputException(field, field + " must be a finite number.");
        }
        return d;
    }

    /** A finite JSON number that stays finite as a 32-bit float, the width every network computes in. */
    public static float floatNumber(Object v, String field) {
        return toFloat(number(v, field), field);
    }

    /**
     * {@code d} as a float, or an InvalidInputException naming {@code field} when it is beyond the
     * float range (about 3.4e38): converted, it would be infinite, and the network's answer NaN.
     */
    public static float toFloat(double d, String field) {
        float f = (float) d;
        if (Float.isInfinite(f)) {
            throw new InvalidInputException(
                    field,
                    field + " is " + d + ", beyond the range of a 32-bit float (about 3.4e38), "
                            + "the precision the models compute in.");
        }
        return f;
    }

    /** Base64 (MIME or plain, a data: URL prefix accepted) decoded to bytes. */
    public static byte[] base64(String value, String field) {
        String data = value;
        int comma = data.indexOf(',');
        if (data.startsWith("data:") && comma > 0) {
            data = data.substring(comma + 1);
        }
        try {
            return Base64.getMimeDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    field,
                    field + " is not valid base64. Encode the image file's bytes "
                            + "with base64 (a data: URL prefix is accepted).");
        }
    }

    /** A JSON array. */
    public static List<?> list(Object value, String field) {
        if (value instanceof List<?> l) {
            return l;
        }
        throw new InvalidInputException(field, field + " must be a JSON array.");
    }

    /** A whole JSON number of at most {@code max} in magnitude (2^53 is where doubles stop being exact). */
    public static long wholeNumber(Object value, String field, long max) {
        double d = number(value, field);
        if (d != Math.rint(d) || Math.abs(d) > max) {
            throw new InvalidInputException(
                    field, field + " must be a whole number of at most " + max + " in magnitude, not " + d + ".");
        }
        return (long) d;
    }
}
