package io.github.dl4jserving.training;

import io.github.dl4jserving.datasets.DatasetStore;
import io.github.dl4jserving.training.internal.Checkpoints;
import io.github.dl4jserving.training.internal.JobStore;
import io.github.dl4jserving.training.internal.Trainer;
import io.github.dl4jserving.training.internal.TrainingOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jobs that continue from checkpoints: a job the last stop interrupted, queued again under its own
 * id, and {@code resumeFrom}, a new job that continues a finished one with its hyperparameters
 * changed by those given.
 */
final class Resumptions {
    private static final Logger log = LoggerFactory.getLogger(Resumptions.class);

    private final Map<String, Trainer> trainers;
    private final DatasetStore uploads;
    private final JobStore store;
    private final JobEvents events;

    Resumptions(Map<String, Trainer> trainers, DatasetStore uploads, JobStore store, JobEvents events) {
        this.trainers = trainers;
        this.uploads = uploads;
        this.store = store;
        this.events = events;
    }

    /**
     * The job again, queued to continue from its newest checkpoint, if its trainer keeps them and
     * left one; {@code null} otherwise.
     */
    JobState restartable(TrainingJob record) {
        Trainer trainer = trainers.get(record.model());
        if (trainer == null || !trainer.resumable() || record.comparison() != null) {
            return null;
        }
        try {
            if (Checkpoints.latest(store.checkpointDir(record.id())).isEmpty()) {
                return null;
            }
            DatasetChoice data = DatasetChoice.resolve(trainer, record.dataset(), record.name(), uploads);
            TrainingOptions.Parsed parsed = TrainingOptions.parse(record.hyperparameters(), trainer.hyperparameters());
            JobState job = new JobState(
                    JobSpec.of(record.id(), trainer, record.name(), data, parsed, record.promote(), null)
                            .submittedAt(record.createdAt()),
                    events,
                    store);
            job.continueFrom(record.id());
            return job;
        } catch (RuntimeException e) {
            log.warn("Job {} cannot resume: {}", record.id(), e.getMessage());
            return null;
        }
    }

    /**
     * A new job that continues {@code source} from its newest checkpoint, on the same trainer, data
     * and target model; {@code model} and {@code dataset} may be left out, and must match if given.
     */
    JobState resume(JobState source, String model, String dataset, Map<String, ?> hyperparameters, String promote) {
        Trainer trainer = trainers.get(source.model());
        if (model != null && !model.equals(source.model())) {
            throw new InvalidHyperparameterException(
                    "model",
                    "Job " + source.id() + " trained " + source.model() + ", not " + JobBook.shorten(model) + ".");
        }
        if (dataset != null && !dataset.equals(source.spec().dataset())) {
            throw new InvalidHyperparameterException(
                    "dataset",
                    "Job " + source.id() + " trained on " + source.spec().dataset() + "; a resumed job does too.");
        }
        if (trainer == null || !trainer.resumable()) {
            throw new InvalidHyperparameterException(
                    "resumeFrom",
                    source.model() + " keeps no checkpoints, so its jobs cannot resume; resumable: "
                            + trainers.values().stream()
                                    .filter(Trainer::resumable)
                                    .map(Trainer::modelName)
                                    .toList()
                            + ".");
        }
        if (!source.status().isFinal()) {
            throw new JobConflictException(
                    "Job " + source.id() + " is " + source.status() + "; resume it once it has stopped.");
        }
        if (Checkpoints.latest(store.checkpointDir(source.id())).isEmpty()) {
            throw new JobConflictException("Job " + source.id() + " left no checkpoint to resume from.");
        }
        Map<String, Object> values = new LinkedHashMap<>(source.spec().hyperparameters());
        if (hyperparameters != null) {
            values.putAll(hyperparameters);
        }
        DatasetChoice data = DatasetChoice.resolve(
                trainer, source.spec().dataset(), source.spec().target(), uploads);
        TrainingOptions.Parsed parsed = TrainingOptions.parse(values, trainer.hyperparameters());
        JobState job = new JobState(
                JobSpec.of(
                        UUID.randomUUID().toString(),
                        trainer,
                        source.spec().target(),
                        data,
                        parsed,
                        promote != null
                                ? Promotion.parse(promote)
                                : source.spec().promote(),
                        null),
                events,
                store);
        job.continueFrom(source.id());
        return job;
    }
}
