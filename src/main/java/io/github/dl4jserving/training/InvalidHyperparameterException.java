package io.github.dl4jserving.training;

/** A training request whose hyperparameters, model or dataset cannot be used; names the field at fault. */
public class InvalidHyperparameterException extends RuntimeException {
    private final String field;

    public InvalidHyperparameterException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
