package io.github.dl4jserving.training;

import io.github.dl4jserving.datasets.DatasetInfo;
import io.github.dl4jserving.training.internal.Trainer;
import io.github.dl4jserving.training.internal.TrainingOptions;
import java.time.Instant;
import java.util.Map;

/**
 * What a job was asked to do, fixed when it is submitted.
 *
 * @param model           the trainer's model type
 * @param target          the model name the job writes its version under
 * @param upload          the uploaded data set it trains on, or null for a built-in one
 * @param comparison      the optimizer comparison it belongs to (it then writes no version), or null
 * @param hyperparameters the values in force, the trainer's defaults filled in
 * @param options         the same parsed for the trainer; null for a job read back from the store
 * @param epochs          the epochs it is to train
 * @param createdAt       when it was submitted (a job restarted after a stop keeps its own)
 */
record JobSpec(
        String id,
        String model,
        String target,
        String dataset,
        DatasetInfo upload,
        String comparison,
        Map<String, Object> hyperparameters,
        Promotion promote,
        TrainingOptions options,
        int epochs,
        Instant createdAt) {

    static JobSpec of(
            String id,
            Trainer trainer,
            String target,
            DatasetChoice data,
            TrainingOptions.Parsed parsed,
            Promotion promote,
            String comparison) {
        return new JobSpec(
                id,
                trainer.modelName(),
                target,
                data.name(),
                data.upload(),
                comparison,
                parsed.values(),
                promote,
                parsed.options(),
                parsed.values().get("epochs") instanceof Integer e ? e : 1,
                Instant.now());
    }

    /** A stored job's: it no longer runs, so it needs neither its upload nor its parsed options. */
    static JobSpec of(TrainingJob r) {
        return new JobSpec(
                r.id(),
                r.model(),
                r.name() != null ? r.name() : r.model(),
                r.dataset(),
                null,
                r.comparison(),
                r.hyperparameters(),
                r.promote(),
                null,
                r.epochs(),
                r.createdAt());
    }

    /** The same, submitted at {@code time}. */
    JobSpec submittedAt(Instant time) {
        return new JobSpec(
                id, model, target, dataset, upload, comparison, hyperparameters, promote, options, epochs, time);
    }
}
