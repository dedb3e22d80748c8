package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.training.TrainingJob;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Receives a trainer's progress and tells it when to stop early. */
public interface TrainingProgress {
    TrainingProgress NONE = new TrainingProgress() {};

    /** After each iteration (mini-batch); {@code fraction} is the whole job's progress from 0 to 1. */
    default void iteration(int epoch, long iteration, double loss, double fraction) {}

    /** After each epoch, with the mean training loss and the validation metrics. */
    default void epoch(int epoch, double trainingLoss, Map<String, Double> validation) {}

    /** Where to save checkpoints and what to resume from; none by default. */
    default Checkpoints checkpoints() {
        return Checkpoints.NONE;
    }

    /**
     * Where a resumable trainer writes, at the end of its sitting, what a later sitting needs to
     * continue from the version it ships ({@link Checkpoints#TRAINING_STATE} of the version); none by
     * default.
     */
    default Optional<Path> trainingState() {
        return Optional.empty();
    }

    /**
     * A trainer that continues from a checkpoint reports where it stands and the epochs it had
     * finished, which replace the history so far.
     */
    default void resumed(int epoch, long iteration, List<TrainingJob.EpochStats> history) {}

    /** A grid of samples from the model after an epoch (generators), for a person to see progress. */
    default void samples(int epoch, BufferedImage grid) {}

    /** Polled between iterations; a trainer that sees {@code true} throws {@link TrainingCancelledException}. */
    default boolean cancelRequested() {
        return false;
    }
}
