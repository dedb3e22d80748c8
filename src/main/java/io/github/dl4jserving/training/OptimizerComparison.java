package io.github.dl4jserving.training;

import io.github.dl4jserving.datasets.DatasetStore;
import io.github.dl4jserving.training.internal.JobStore;
import io.github.dl4jserving.training.internal.Optimizers;
import io.github.dl4jserving.training.internal.Trainer;
import io.github.dl4jserving.training.internal.TrainingOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * An optimizer comparison: one job per optimizer, all with the same model, data, seed and other
 * hyperparameters, writing no version; their final loss, metrics and wall time are the comparison.
 */
final class OptimizerComparison {
    private OptimizerComparison() {}

    /** The jobs of a new comparison, not yet admitted, and the data set they train on. */
    record Planned(String id, DatasetChoice data, List<JobState> jobs) {}

    /** Checks the request (the trainer has an optimizer to choose, the optimizers are distinct and known). */
    static Planned plan(
            Trainer trainer,
            String dataset,
            List<String> optimizers,
            Map<String, ?> hyperparameters,
            DatasetStore uploads,
            JobEvents events,
            JobStore store) {
        String model = trainer.modelName();
        if (trainer.hyperparameters().stream().noneMatch(h -> h.name().equals("optimizer"))) {
            throw new InvalidHyperparameterException("model", model + " has no optimizer to choose.");
        }
        if (optimizers == null
                || optimizers.isEmpty()
                || optimizers.size() > Optimizers.NAMES.size()
                || optimizers.stream().distinct().count() != optimizers.size()) {
            throw new InvalidHyperparameterException(
                    "optimizers",
                    "optimizers must list 1 to " + Optimizers.NAMES.size() + " different names from " + Optimizers.NAMES
                            + ".");
        }
        if (hyperparameters != null && hyperparameters.containsKey("optimizer")) {
            throw new InvalidHyperparameterException(
                    "hyperparameters.optimizer",
                    "The optimizers are the ones compared; leave optimizer out of the hyperparameters.");
        }
        DatasetChoice data = DatasetChoice.resolve(trainer, dataset, model, uploads);
        String id = "cmp-" + UUID.randomUUID();
        List<JobState> jobs = new ArrayList<>();
        for (String optimizer : optimizers) {
            Map<String, Object> values = new LinkedHashMap<>(hyperparameters == null ? Map.of() : hyperparameters);
            values.put("optimizer", optimizer);
            TrainingOptions.Parsed parsed = TrainingOptions.parse(values, trainer.hyperparameters());
            jobs.add(new JobState(
                    JobSpec.of(UUID.randomUUID().toString(), trainer, model, data, parsed, Promotion.NEVER, id),
                    events,
                    store));
        }
        return new Planned(id, data, jobs);
    }

    /** The comparison {@code id} among {@code jobs}, one row per optimizer in request order; null if none. */
    static TrainingJobs.Comparison find(String id, Stream<TrainingJob> jobs) {
        List<TrainingJob> members = jobs.filter(j -> id != null && id.equals(j.comparison()))
                .sorted(Comparator.comparing(TrainingJob::createdAt))
                .toList();
        return members.isEmpty()
                ? null
                : new TrainingJobs.Comparison(
                        id, members.get(0).model(), members.get(0).dataset(), members);
    }
}
