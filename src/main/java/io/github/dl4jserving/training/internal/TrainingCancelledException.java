package io.github.dl4jserving.training.internal;

/** Training stopped because it was asked to; nothing was produced. */
public class TrainingCancelledException extends RuntimeException {
    public TrainingCancelledException() {
        super("Training was cancelled");
    }
}
