package io.github.dl4jserving.training.internal;

import java.util.Map;

/** Receives a trainer's progress and tells it when to stop early. */
public interface TrainingProgress {
    TrainingProgress NONE = new TrainingProgress() {};

    /** After each iteration (mini-batch); {@code fraction} is the whole job's progress from 0 to 1. */
    default void iteration(int epoch, long iteration, double loss, double fraction) {}

    /** After each epoch, with the mean training loss and the validation metrics. */
    default void epoch(int epoch, double trainingLoss, Map<String, Double> validation) {}

    /** Polled between iterations; a trainer that sees {@code true} throws {@link TrainingCancelledException}. */
    default boolean cancelRequested() {
        return false;
    }
}
