package io.github.dl4jserving.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelKind;
import io.github.dl4jserving.registry.PromotionRule.Decision;
import io.github.dl4jserving.training.internal.MnistDcganTrainer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code if-better} for generators: the judge's Fréchet distance decides, its Inception Score guards. */
class PromotionPolicyTest {
    private final MnistDcganTrainer gan = new MnistDcganTrainer();

    private static ModelDescriptor generator(int version, double is, double fid, double discriminatorOnGenerated) {
        return new ModelDescriptor(
                "mnist-dcgan",
                version,
                ModelKind.IMAGE_GENERATOR,
                Instant.now(),
                "",
                ModelDescriptor.InputSchema.latent(100),
                null,
                Map.of(
                        "inception_score", is,
                        "frechet_distance", fid,
                        "discriminator_mean_on_generated", discriminatorOnGenerated),
                null);
    }

    @Test
    void anUntrainedGeneratorIsNotPromotedOverATrainedOneWhateverItsDiscriminatorThinks() {
        ModelDescriptor shipped = generator(2, 5.01, 138.8, 0.348);
        ModelDescriptor eightIterations = generator(3, 1.00, 1416, 0.507);

        // Before: promoted, because its discriminator's mean on its own samples (0.507) beat 0.348.
        Decision d = PromotionPolicy.decide(Promotion.IF_BETTER, gan, eightIterations, shipped);

        assertThat(d.promote()).isFalse();
        assertThat(d.reason()).contains("frechet_distance 1416", "does not beat", "138.8");
    }

    @Test
    void aLowerFrechetDistanceWithABetterInceptionScoreIsPromoted() {
        Decision d = PromotionPolicy.decide(
                Promotion.IF_BETTER, gan, generator(3, 6.2, 90, 0.3), generator(2, 5.01, 138.8, 0.348));

        assertThat(d.promote()).isTrue();
        assertThat(d.reason()).contains("beats");
    }

    @Test
    void aLowerFrechetDistanceIsNotEnoughWhenTheInceptionScoreIsWorse() {
        Decision d = PromotionPolicy.decide(
                Promotion.IF_BETTER, gan, generator(3, 4.0, 120, 0.3), generator(2, 5.01, 138.8, 0.348));

        assertThat(d.promote()).isFalse();
        assertThat(d.reason()).contains("inception_score 4.0 is worse", "5.01");
    }
}
