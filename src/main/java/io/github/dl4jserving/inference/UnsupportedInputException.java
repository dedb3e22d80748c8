package io.github.dl4jserving.inference;

/** The request's kind of payload cannot go to the model it was sent to. */
public class UnsupportedInputException extends RuntimeException {
    public UnsupportedInputException(String message) {
        super(message);
    }
}
