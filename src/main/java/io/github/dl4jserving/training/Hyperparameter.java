package io.github.dl4jserving.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One setting a trainer accepts, as {@code GET /trainers} lists it: its JSON type ({@code integer},
 * {@code number} or {@code string}), default, closed valid range or allowed values, and meaning.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Hyperparameter(
        String name,
        String type,
        Object defaultValue,
        Double min,
        Double max,
        List<String> choices,
        String description) {

    public static Hyperparameter integer(String name, int defaultValue, int min, int max, String description) {
        return new Hyperparameter(name, "integer", defaultValue, (double) min, (double) max, null, description);
    }

    public static Hyperparameter number(String name, double defaultValue, double min, double max, String description) {
        return new Hyperparameter(name, "number", defaultValue, min, max, null, description);
    }

    public static Hyperparameter choice(String name, String defaultValue, List<String> choices, String description) {
        return new Hyperparameter(name, "string", defaultValue, null, null, choices, description);
    }

    /** Checks one value from a request against this definition and returns it as Integer, Double or String. */
    public Object check(Object value) {
        String field = "hyperparameters." + name;
        switch (type) {
            case "integer" -> {
                if (!(value instanceof Integer || value instanceof Long)
                        && !(value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()))) {
                    throw new InvalidHyperparameterException(
                            field, name + " must be an integer, not " + show(value) + ".");
                }
                double d = ((Number) value).doubleValue();
                inRange(field, d);
                return (int) d;
            }
            case "number" -> {
                if (!(value instanceof Number n)
                        || Double.isNaN(n.doubleValue())
                        || Double.isInfinite(n.doubleValue())) {
                    throw new InvalidHyperparameterException(
                            field, name + " must be a finite number, not " + show(value) + ".");
                }
                inRange(field, n.doubleValue());
                return n.doubleValue();
            }
            default -> {
                if (!(value instanceof String s) || !choices.contains(s)) {
                    throw new InvalidHyperparameterException(
                            field, name + " must be one of " + choices + ", not " + show(value) + ".");
                }
                return s;
            }
        }
    }

    private void inRange(String field, double d) {
        if (d < min || d > max) {
            throw new InvalidHyperparameterException(
                    field,
                    name + " = " + show(d) + " is out of range: it must lie in [" + show(min) + ", " + show(max)
                            + "].");
        }
    }

    private static String show(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        if (value instanceof String s) {
            return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        }
        return String.valueOf(value);
    }
}
