package io.github.dl4jserving.registry;

/** No loaded model has that name, or the model has no loaded version of that number. */
public class ModelNotFoundException extends RuntimeException {
    public ModelNotFoundException(String message) {
        super(message);
    }
}
