package io.github.dl4jserving.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.dl4jserving.registry.internal.DescriptorJson;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The content of {@code model.json}: identity, input contract, output labels, held-out metrics and
 * provenance. It carries no ND4J types, so it is also what the HTTP API returns.
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
        Provenance provenance) {

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
        return new ModelDescriptor(name, newVersion, kind, createdAt, description, input, labels, metrics, provenance);
    }

    /** The same descriptor under another model name. */
    public ModelDescriptor withName(String newName) {
        return new ModelDescriptor(newName, version, kind, createdAt, description, input, labels, metrics, provenance);
    }

    /** The same descriptor with {@code newProvenance}. */
    public ModelDescriptor withProvenance(Provenance newProvenance) {
        return new ModelDescriptor(name, version, kind, createdAt, description, input, labels, metrics, newProvenance);
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
            String jobId) {}
}
