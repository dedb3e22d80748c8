package io.github.dl4jserving.inference;

/** A request value that is well-formed but not acceptable to the model; {@code field} names it. */
public class InvalidInputException extends RuntimeException {
    private final String field;
    private volatile boolean counted;

    public InvalidInputException(String field, String detail) {
        super(detail);
        this.field = field;
    }

    public String field() {
        return field;
    }

    /** Whether the inference service already counted this rejection against its model. */
    public boolean counted() {
        return counted;
    }

    void markCounted() {
        counted = true;
    }
}
