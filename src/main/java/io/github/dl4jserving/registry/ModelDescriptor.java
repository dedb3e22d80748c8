package io.github.dl4jserving.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.dl4jserving.registry.internal.DescriptorJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The content of {@code model.json}: identity, input contract, output labels, held-out metrics and
 * provenance. It carries no ND4J types, so it is also what the HTTP API returns.
 *
 * <p>{@code schemaChange} is set only on a version that was allowed to change the model's contract
 * (its kind, its input features or image size or latent width, its labels) against the default of
 * the time: which version it was compared with, and what changed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelDescriptor(
        String name,
        int version,
        ModelKind kind,
        Instant createdAt,
        String description,
        InputSchema input,
        List<String> labels,
        Map<String, Double> metrics,
        Provenance provenance,
        SchemaChange schemaChange) {

    /** A descriptor with no recorded schema change, as every trainer and most uploads write. */
    public ModelDescriptor(
            String name,
            int version,
            ModelKind kind,
            Instant createdAt,
            String description,
            InputSchema input,
            List<String> labels,
            Map<String, Double> metrics,
            Provenance provenance) {
        this(name, version, kind, createdAt, description, input, labels, metrics, provenance, null);
    }

    /** A version allowed to change its model's contract: the version it replaced, and what changed. */
    public record SchemaChange(int fromVersion, List<String> changes) {}

    /**
     * How {@code candidate} would change the contract clients rely on, compared with {@code current}:
     * the kind, the input (feature names and their order, the image size, the latent width) and the
     * labels, one line each; empty when it keeps them. Feature ranges and a polynomial degree may
     * change: requests stay the same.
     */
    public static List<String> contractChanges(ModelDescriptor current, ModelDescriptor candidate) {
        List<String> changes = new ArrayList<>();
        if (current.kind() != candidate.kind()) {
            changes.add("kind " + current.kind().wireName() + " -> "
                    + candidate.kind().wireName());
        }
        InputSchema a = current.input();
        InputSchema b = candidate.input();
        List<String> fa = a == null || a.features() == null
                ? null
                : a.features().stream().map(FeatureRange::name).toList();
        List<String> fb = b == null || b.features() == null
                ? null
                : b.features().stream().map(FeatureRange::name).toList();
        if (!Objects.equals(fa, fb)) {
            changes.add("input features " + describe(fa) + " -> " + describe(fb));
        }
        String ia = a == null || a.image() == null
                ? null
                : a.image().width() + "x" + a.image().height();
        String ib = b == null || b.image() == null
                ? null
                : b.image().width() + "x" + b.image().height();
        if (!Objects.equals(ia, ib)) {
            changes.add("input image " + ia + " -> " + ib);
        }
        Integer la = a == null ? null : a.latentDimension();
        Integer lb = b == null ? null : b.latentDimension();
        if (!Objects.equals(la, lb)) {
            changes.add("input latentDimension " + la + " -> " + lb);
        }
        if (!Objects.equals(current.labels(), candidate.labels())) {
            changes.add("labels " + describe(current.labels()) + " -> " + describe(candidate.labels()));
        }
        return changes;
    }

    private static String describe(List<String> names) {
        if (names == null) {
            return "none";
        }
        String shown =
                names.size() <= 12 ? String.join(", ", names) : String.join(", ", names.subList(0, 12)) + ", ...";
        return names.size() + " [" + shown + "]";
    }

    /**
     * Parses a descriptor sent with an upload: unknown fields are refused as they are on disk, the
     * version and the provenance numbers may be left out. Throws {@link InvalidModelException} naming
     * the field at fault.
     */
    public static ModelDescriptor fromUploadJson(String json) {
        return DescriptorJson.parseUpload(json);
    }

    /** The same descriptor under another version number. */
    public ModelDescriptor withVersion(int newVersion) {
        return new ModelDescriptor(
                name, newVersion, kind, createdAt, description, input, labels, metrics, provenance, schemaChange);
    }

    /** The same descriptor under another model name. */
    public ModelDescriptor withName(String newName) {
        return new ModelDescriptor(
                newName, version, kind, createdAt, description, input, labels, metrics, provenance, schemaChange);
    }

    /** The same descriptor with {@code change} recorded. */
    public ModelDescriptor withSchemaChange(SchemaChange change) {
        return new ModelDescriptor(
                name, version, kind, createdAt, description, input, labels, metrics, provenance, change);
    }

    /** The same descriptor with {@code newProvenance}. */
    public ModelDescriptor withProvenance(Provenance newProvenance) {
        return new ModelDescriptor(
                name, version, kind, createdAt, description, input, labels, metrics, newProvenance, schemaChange);
    }

    /**
     * What a request must supply. Exactly one of the three parts is set, by kind. A tabular model
     * with a {@code polynomialDegree} d is fed each feature's powers 1 to d (x, x^2, ..., x^d,
     * feature by feature) before its normalizer: requests still send the plain features.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InputSchema(
            ImageInput image, List<FeatureRange> features, Integer latentDimension, Integer polynomialDegree) {
        public static InputSchema image(ImageInput image) {
            return new InputSchema(image, null, null, null);
        }

        public static InputSchema features(List<FeatureRange> features) {
            return new InputSchema(null, features, null, null);
        }

        public static InputSchema polynomial(List<FeatureRange> features, int degree) {
            return new InputSchema(null, features, null, degree);
        }

        public static InputSchema latent(int dimension) {
            return new InputSchema(null, null, dimension, null);
        }
    }

    /**
     * The network's image input: {@code width x height}, {@code channels}, values in
     * {@code [pixelMin, pixelMax]}, ink bright on a dark field. Requests may be any size and
     * polarity: they are prepared to this.
     */
    public record ImageInput(int width, int height, int channels, double pixelMin, double pixelMax, String polarity) {}

    /** A named feature and its valid closed range. */
    public record FeatureRange(String name, double min, double max) {}

    /** Where the model came from, so it can be reproduced. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Provenance(
            String dataset,
            Map<String, String> datasetSha256,
            String trainer,
            Map<String, Object> hyperparameters,
            long seed,
            int epochs,
            long trainingExamples,
            double trainingSeconds,
            String dl4jVersion,
            String projectVersion,
            String notes,
            String jobId,
            List<EpochScores> curve) {}

    /**
     * One epoch of a training that is scored as it goes (the GAN's judge): where it ended, its mean
     * training loss, its scores and the training seconds it took; across sittings.
     */
    public record EpochScores(int epoch, double trainingLoss, Map<String, Double> scores, double seconds) {}
}
