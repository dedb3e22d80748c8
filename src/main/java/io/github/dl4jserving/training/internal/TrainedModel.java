package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.registry.ModelDescriptor;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * A trainer's output: the network, its normalizer or {@code null}, its descriptor (version 0, no
 * provenance yet) and the facts of the fit. Whoever ran the trainer, a job or the train command, turns
 * them into the provenance with {@link #describe}, in one place.
 */
public record TrainedModel(
        MultiLayerNetwork network, DataNormalization normalizer, ModelDescriptor descriptor, Fit fit) {

    /** The network as it is stored: its configuration names DL4J's own updaters and regularization. */
    public TrainedModel {
        FusedAdam.storeAsAdam(network);
        FastL2.storeAsL2(network);
    }

    /**
     * What the trainer knows of its fit, as Tribuo records it: the data and its checksums, the
     * hyperparameters in force, the seed, the epochs and examples, and its own notes.
     */
    public record Fit(
            String dataset,
            Map<String, String> datasetSha256,
            Map<String, Object> hyperparameters,
            long seed,
            int epochs,
            long trainingExamples,
            String notes,
            List<ModelDescriptor.EpochScores> curve) {

        /** A fit without a per-epoch curve of scores in its descriptor. */
        public Fit(
                String dataset,
                Map<String, String> datasetSha256,
                Map<String, Object> hyperparameters,
                long seed,
                int epochs,
                long trainingExamples,
                String notes) {
            this(dataset, datasetSha256, hyperparameters, seed, epochs, trainingExamples, notes, null);
        }
    }

    /**
     * The descriptor with its full provenance: the fit, the trainer, the wall time of the training
     * ({@code trainingSeconds} of this run, or the {@code training_seconds} metric of a trainer that
     * counts all the sittings of a resumed training, if that is more), the library and project
     * versions and, for a job, its id.
     */
    public ModelDescriptor describe(Trainer trainer, double trainingSeconds, String jobId) {
        Double counted =
                descriptor.metrics() == null ? null : descriptor.metrics().get("training_seconds");
        double seconds = counted == null ? trainingSeconds : Math.max(trainingSeconds, counted);
        return descriptor.withProvenance(new ModelDescriptor.Provenance(
                fit.dataset(),
                fit.datasetSha256(),
                trainer.getClass().getSimpleName(),
                fit.hyperparameters(),
                fit.seed(),
                fit.epochs(),
                fit.trainingExamples(),
                seconds,
                BuildVersions.DL4J,
                BuildVersions.PROJECT,
                fit.notes(),
                jobId,
                fit.curve()));
    }

    /**
     * Refuses a fit that diverged: a metric that is not a finite number (a NaN loss, an infinite
     * error) or a parameter that is not, since such a network answers NaN to every request.
     */
    public void requireFinite() {
        List<String> bad = descriptor.metrics() == null
                ? List.of()
                : descriptor.metrics().entrySet().stream()
                        .filter(e -> e.getValue() == null || !Double.isFinite(e.getValue()))
                        .map(e -> e.getKey() + " " + e.getValue())
                        .toList();
        INDArray params = network.params();
        boolean parameters = params != null && !params.isEmpty() && BooleanIndexing.or(params, Conditions.notFinite());
        if (!bad.isEmpty() || parameters) {
            throw new TrainingDivergedException("The training diverged: "
                    + (bad.isEmpty() ? "" : "its metrics are not finite (" + String.join(", ", bad) + ")")
                    + (!bad.isEmpty() && parameters ? " and " : "")
                    + (parameters ? "its parameters hold NaN or infinite values" : "")
                    + ". No version was written. Lower the learning rate, or use the adam optimizer.");
        }
    }
}
