package io.github.dl4jserving.registry;

/** The change would leave a model without a default or without any version. */
public class ModelConflictException extends RuntimeException {
    public ModelConflictException(String message) {
        super(message);
    }
}
