package io.github.dl4jserving.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What counts as a change of a model's contract between two versions, and what does not. */
class ContractChangesTest {

    private static ModelDescriptor tabular(ModelKind kind, List<String> features, List<String> labels, Integer degree) {
        List<ModelDescriptor.FeatureRange> ranges = features.stream()
                .map(f -> new ModelDescriptor.FeatureRange(f, 0, 1))
                .toList();
        return new ModelDescriptor(
                "m",
                1,
                kind,
                Instant.EPOCH,
                null,
                new ModelDescriptor.InputSchema(null, ranges, null, degree),
                labels,
                Map.of(),
                null);
    }

    @Test
    void kindFeaturesImageLatentAndLabelsAreTheContract() {
        ModelDescriptor base = tabular(ModelKind.TABULAR_CLASSIFIER, List.of("a", "b"), List.of("no", "yes"), null);
        assertThat(ModelDescriptor.contractChanges(base, base)).isEmpty();
        assertThat(ModelDescriptor.contractChanges(
                        base, tabular(ModelKind.TABULAR_REGRESSOR, List.of("a", "b"), List.of("no", "yes"), null)))
                .containsExactly("kind tabular-classifier -> tabular-regressor");
        assertThat(ModelDescriptor.contractChanges(
                        base, tabular(ModelKind.TABULAR_CLASSIFIER, List.of("b", "a"), List.of("no", "yes"), null)))
                .containsExactly("input features 2 [a, b] -> 2 [b, a]");
        assertThat(ModelDescriptor.contractChanges(
                        base, tabular(ModelKind.TABULAR_CLASSIFIER, List.of("a", "b"), List.of("n", "y"), null)))
                .containsExactly("labels 2 [no, yes] -> 2 [n, y]");
        assertThat(ModelDescriptor.contractChanges(
                        base, tabular(ModelKind.TABULAR_CLASSIFIER, List.of("a", "b"), null, null)))
                .containsExactly("labels 2 [no, yes] -> none");

        ModelDescriptor image = base.withName("i");
        ModelDescriptor.InputSchema small =
                ModelDescriptor.InputSchema.image(new ModelDescriptor.ImageInput(28, 28, 1, 0, 1, "white on black"));
        ModelDescriptor.InputSchema large =
                ModelDescriptor.InputSchema.image(new ModelDescriptor.ImageInput(32, 32, 1, 0, 1, "white on black"));
        ModelDescriptor a =
                new ModelDescriptor("i", 1, ModelKind.IMAGE_CLASSIFIER, null, null, small, null, null, null);
        ModelDescriptor b =
                new ModelDescriptor("i", 2, ModelKind.IMAGE_CLASSIFIER, null, null, large, null, null, null);
        assertThat(ModelDescriptor.contractChanges(a, b)).containsExactly("input image 28x28 -> 32x32");
        ModelDescriptor g1 = new ModelDescriptor(
                "g",
                1,
                ModelKind.IMAGE_GENERATOR,
                null,
                null,
                ModelDescriptor.InputSchema.latent(100),
                null,
                null,
                null);
        ModelDescriptor g2 = new ModelDescriptor(
                "g",
                2,
                ModelKind.IMAGE_GENERATOR,
                null,
                null,
                ModelDescriptor.InputSchema.latent(64),
                null,
                null,
                null);
        assertThat(ModelDescriptor.contractChanges(g1, g2)).containsExactly("input latentDimension 100 -> 64");
        assertThat(image.name()).isEqualTo("i");
    }

    @Test
    void rangesAPolynomialDegreeAndMetricsMayChange() {
        ModelDescriptor base = tabular(ModelKind.TABULAR_REGRESSOR, List.of("x"), null, 2);
        ModelDescriptor retrained = new ModelDescriptor(
                "m",
                2,
                ModelKind.TABULAR_REGRESSOR,
                Instant.now(),
                "retrained",
                new ModelDescriptor.InputSchema(null, List.of(new ModelDescriptor.FeatureRange("x", -5, 50)), null, 4),
                null,
                Map.of("test_rmse", 1.0),
                null);
        assertThat(ModelDescriptor.contractChanges(base, retrained)).isEmpty();
    }

    @Test
    void longListsAreShortenedInTheDescription() {
        List<String> many =
                java.util.stream.IntStream.range(0, 20).mapToObj(i -> "f" + i).toList();
        ModelDescriptor a = tabular(ModelKind.TABULAR_REGRESSOR, many, null, null);
        ModelDescriptor b = tabular(ModelKind.TABULAR_REGRESSOR, many.subList(0, 19), null, null);
        assertThat(ModelDescriptor.contractChanges(a, b).get(0))
                .startsWith("input features 20 [f0, f1")
                .contains("f11, ...] -> 19 [");
    }
}
