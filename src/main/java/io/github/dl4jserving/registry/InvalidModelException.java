package io.github.dl4jserving.registry;

/** An uploaded model or descriptor that cannot be served: unreadable, or not matching its schema. */
public class InvalidModelException extends RuntimeException {
    private final String field;

    public InvalidModelException(String message) {
        this("model", message);
    }

    /** {@code field} is the descriptor field at fault, as a client writes it: {@code input.features[2].min}. */
    public InvalidModelException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The field at fault, or {@code model} for the network itself. */
    public String field() {
        return field;
    }
}
