package io.github.dl4jserving.inference;

import io.github.dl4jserving.inference.internal.ModelContract;
import io.github.dl4jserving.platform.StorageException;
import io.github.dl4jserving.registry.InvalidModelException;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelName;
import io.github.dl4jserving.registry.ModelRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

    public ModelUploads(ModelRegistry registry) {
        this.registry = registry;
    }

    /** Reads {@code zip} to its end and adds it as the next version of {@code name}; returns its descriptor. */
    public ModelDescriptor upload(String name, String descriptorJson, InputStream zip) throws IOException {
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
            return registry.upload(descriptor, staged, ModelContract::validate).descriptor();
        } finally {
            if (staged != null) {
                Files.deleteIfExists(staged);
            }
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
