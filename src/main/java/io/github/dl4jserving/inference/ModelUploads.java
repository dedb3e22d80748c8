package io.github.dl4jserving.inference;

import io.github.dl4jserving.inference.internal.ModelContract;
import io.github.dl4jserving.platform.StorageException;
import io.github.dl4jserving.registry.InvalidModelException;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelFiles;
import io.github.dl4jserving.registry.ModelKind;
import io.github.dl4jserving.registry.ModelName;
import io.github.dl4jserving.registry.ModelRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * Adds an uploaded network as a new version: the descriptor is read and checked, the zip is staged in
 * a temporary file, and the registry accepts it only once it restores and a dummy batch of its declared
 * input gives outputs of the promised shape.
 */
@Service
public class ModelUploads {
    /** Characters a label, feature or metric name may not hold: markup, quotes and control characters. */
    private static final Pattern UNSAFE = Pattern.compile("[<>&\"'`\\p{Cntrl}]");

    private final ModelRegistry registry;
    private final long maxParameters;

    public ModelUploads(ModelRegistry registry, InferenceSettings settings) {
        this.registry = registry;
        this.maxParameters = settings.maxModelParameters();
    }

    /**
     * Reads {@code zip} to its end and adds it as the next version of {@code name}; returns its
     * descriptor. A version that changes the contract of the model's default (kind, input, labels) is
     * refused with 409 unless {@code allowSchemaChange}; then the change is recorded in its descriptor.
     */
    public ModelDescriptor upload(String name, String descriptorJson, InputStream zip, boolean allowSchemaChange)
            throws IOException {
        if (!ModelName.isValid(name)) {
            throw new InvalidInputException("name", ModelName.RULE);
        }
        ModelDescriptor sent = ModelDescriptor.fromUploadJson(descriptorJson);
        if (sent.name() != null && !sent.name().equals(name)) {
            throw new InvalidModelException(
                    "The descriptor names model '" + sent.name() + "' but was sent to '" + name + "'.");
        }
        if (sent.kind() == null || sent.input() == null) {
            throw new InvalidModelException("The descriptor needs a 'kind' and an 'input' schema.");
        }
        checkFeatures(sent.input().features());
        checkLabels(sent);
        checkText("labels", sent.labels());
        checkText(
                "input.features",
                sent.input().features() == null
                        ? null
                        : sent.input().features().stream()
                                .map(ModelDescriptor.FeatureRange::name)
                                .toList());
        checkText(
                "metrics",
                sent.metrics() == null ? null : List.copyOf(sent.metrics().keySet()));
        ModelDescriptor descriptor = new ModelDescriptor(
                name,
                0,
                sent.kind(),
                sent.createdAt() != null ? sent.createdAt() : Instant.now(),
                sent.description(),
                sent.input(),
                sent.labels(),
                sent.metrics() != null ? sent.metrics() : Map.of(),
                sent.provenance());
        Path staged = null;
        try {
            try {
                staged = Files.createTempFile("dl4j-upload-", ".zip");
                Files.copy(zip, staged, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                StorageException.throwIfStorage("the upload", e, StorageException.TEMP_DIR);
                throw e;
            }
            long parameters = ModelFiles.parameterCount(staged);
            if (parameters > maxParameters) {
                throw new InvalidModelException(
                        "model",
                        "The network declares " + parameters + " parameters; at most " + maxParameters
                                + " are accepted (dl4j-serving.max-model-parameters), as every loaded "
                                + "version holds its weights in memory. Upload a smaller network.");
            }
            return registry.upload(descriptor, staged, ModelContract::validate, allowSchemaChange)
                    .descriptor();
        } finally {
            if (staged != null) {
                Files.deleteIfExists(staged);
            }
        }
    }

    /** Each feature once, with a finite range whose min is at most its max. */
    private static void checkFeatures(List<ModelDescriptor.FeatureRange> features) {
        if (features == null) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < features.size(); i++) {
            ModelDescriptor.FeatureRange f = features.get(i);
            String field = "input.features[" + i + "]";
            if (f == null) {
                throw new InvalidModelException(field, "'" + field + "' is null: give a name, min and max.");
            }
            if (f.name() != null && !seen.add(f.name())) {
                throw new InvalidModelException(
                        field + ".name", "The feature name '" + f.name() + "' is given twice: names must be unique.");
            }
            if (!Double.isFinite(f.min()) || !Double.isFinite(f.max()) || f.min() > f.max()) {
                throw new InvalidModelException(
                        field,
                        "'" + field + "' needs finite bounds with min <= max, not [" + f.min() + ", " + f.max() + "].");
            }
        }
    }

    /** Labels as the kind needs them: none for a regressor or a generator, distinct names otherwise. */
    private static void checkLabels(ModelDescriptor d) {
        List<String> labels = d.labels();
        boolean classifier = d.kind() == ModelKind.IMAGE_CLASSIFIER || d.kind() == ModelKind.TABULAR_CLASSIFIER;
        if (!classifier && labels != null && !labels.isEmpty()) {
            throw new InvalidModelException(
                    "labels",
                    "A " + d.kind().wireName() + " has no labels: its output is a number or an image, not a class.");
        }
        if (classifier && (labels == null || labels.size() < 2)) {
            throw new InvalidModelException(
                    "labels", "A " + d.kind().wireName() + " needs at least two labels, one per class.");
        }
        if (labels != null && new HashSet<>(labels).size() != labels.size()) {
            throw new InvalidModelException("labels", "The labels must be distinct.");
        }
    }

    /**
     * Names that clients show (the web page among them) must be plain text: 1 to 64 characters, no
     * markup, quotes or control characters.
     */
    private static void checkText(String field, List<String> names) {
        if (names == null) {
            return;
        }
        for (String name : names) {
            if (name == null
                    || name.isBlank()
                    || name.length() > 64
                    || UNSAFE.matcher(name).find()) {
                throw new InvalidInputException(
                        field,
                        "Every name in '" + field + "' must be 1 to 64 characters "
                                + "of plain text, without < > & quotes, backticks or control characters.");
            }
        }
    }
}
