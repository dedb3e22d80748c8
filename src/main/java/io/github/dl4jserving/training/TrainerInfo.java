package io.github.dl4jserving.training;

import io.github.dl4jserving.training.internal.Trainer;
import java.util.List;

/** One trainable model type as {@code GET /trainers} lists it. */
public record TrainerInfo(
        String model,
        String kind,
        String description,
        List<String> datasets,
        List<String> uploadedDatasetKinds,
        List<Hyperparameter> hyperparameters,
        String promotionMetric,
        boolean higherIsBetter) {

    static TrainerInfo of(Trainer t) {
        return new TrainerInfo(
                t.modelName(),
                t.kind().wireName(),
                t.description(),
                t.datasets(),
                t.uploadKinds(),
                t.hyperparameters(),
                t.primaryMetric().name(),
                t.primaryMetric().higherIsBetter());
    }
}
