package io.github.dl4jserving.registry;

/** An uploaded model or descriptor that cannot be served: unreadable, or not matching its schema. */
public class InvalidModelException extends RuntimeException {
    public InvalidModelException(String message) {
        super(message);
    }
}
