package io.github.dl4jserving.training.internal;

/** A fit whose parameters or metrics are not finite numbers: nothing it produced may be served. */
public class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
