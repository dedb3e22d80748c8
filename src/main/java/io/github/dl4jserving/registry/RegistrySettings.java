package io.github.dl4jserving.registry;

import java.nio.file.Path;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The registry's {@code dl4j-serving.*} settings.
 *
 * @param modelsDir      the model store, written by the service: uploads, trained versions, pins, job
 *                       records and data sets ({@code DL4J_SERVING_MODELS_DIR})
 * @param seedModelsDir  the shipped models, only read: at start-up, versions the store has never had are
 *                       copied from here into it ({@code DL4J_SERVING_SEED_MODELS_DIR}; empty: none)
 */
@ConfigurationProperties("dl4j-serving")
public record RegistrySettings(
        @DefaultValue("model-store") String modelsDir,
        @DefaultValue("models") String seedModelsDir) {

    // Paths are bound as strings: Spring's Path conversion reads "../x" as a resource location.
    public Path modelsPath() {
        return Path.of(modelsDir);
    }

    /** The shipped models to seed the store from, if any. */
    public Optional<Path> seedModelsPath() {
        return seedModelsDir == null || seedModelsDir.isBlank()
                ? Optional.empty()
                : Optional.of(Path.of(seedModelsDir));
    }
}
