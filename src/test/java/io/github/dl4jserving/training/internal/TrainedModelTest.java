package io.github.dl4jserving.training.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainedModelTest {
    private static TrainedModel trained(Map<String, Double> metrics) {
        ModelDescriptor descriptor = new ModelDescriptor(
                "mnist-dcgan",
                0,
                ModelKind.IMAGE_GENERATOR,
                Instant.now(),
                "test",
                ModelDescriptor.InputSchema.latent(2),
                List.of(),
                metrics,
                null);
        return new TrainedModel(
                FitLoopTest.network(),
                null,
                descriptor,
                new TrainedModel.Fit("mnist", Map.of(), Map.of(), 1, 1, 1, "test"));
    }

    @Test
    void aTrainingOfSeveralSittingsRecordsTheTimeOfAllOfThem() {
        // the last sitting of a long GAN run only shipped it: 8 s of wall time after 6 hours of training
        assertThat(trained(Map.of("training_seconds", 21_600.0))
                        .describe(new MnistDcganTrainer(), 8, null)
                        .provenance()
                        .trainingSeconds())
                .isEqualTo(21_600.0);
        assertThat(trained(Map.of("training_seconds", 3.0))
                        .describe(new MnistDcganTrainer(), 8, null)
                        .provenance()
                        .trainingSeconds())
                .as("one sitting: its wall time, loading and scoring included")
                .isEqualTo(8.0);
        assertThat(trained(Map.of("accuracy", 0.9))
                        .describe(new MnistDcganTrainer(), 8, null)
                        .provenance()
                        .trainingSeconds())
                .isEqualTo(8.0);
    }
}
