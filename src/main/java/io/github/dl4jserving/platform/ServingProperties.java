package io.github.dl4jserving.platform;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code dl4j-serving.*} settings. Names are stable: scripts and docs use them.
 *
 * @param modelsDir           the model registry, written by the service: uploads, trained versions, pins,
 *                            job records and data sets ({@code DL4J_SERVING_MODELS_DIR})
 * @param dataDir             where data sets are read and downloaded to ({@code DL4J_SERVING_DATA_DIR});
 *                            the server reserves it for training jobs, the train command reads it today
 * @param maxBodySize         the largest request body accepted, multipart or raw
 * @param maxImageDimension   the largest width or height an uploaded image may declare
 * @param workersPerModel     network replicas per loaded version, each with a batching worker: how many
 *                            forward passes of one version run at once
 * @param defaultImageModel   the model {@code POST /predict} sends images to
 * @param defaultTabularModel the model {@code POST /predict} sends table rows to
 * @param defaultGeneratorModel the model {@code GET /generate} draws with
 * @param maxBatch            the most inputs (images, rows, latent vectors) one request may carry
 * @param maxDatasetSize      the largest raw (CSV or zip) body {@code POST /datasets} accepts; a zip may
 *                            unpack to four times this. Multipart uploads stay under max-body-size.
 * @param nd4jThreads         threads one ND4J operation may use; 0 keeps ND4J's default (one per core)
 * @param maxInflightInference inference requests inside the service at once; more get 503 at once (0: no limit)
 * @param seedModelsDir       the shipped models, only read: at start-up, versions the registry has never had are
 *                            copied from here into it ({@code DL4J_SERVING_SEED_MODELS_DIR}; empty: none)
 */
@ConfigurationProperties("dl4j-serving")
public record ServingProperties(
        @DefaultValue("model-store") String modelsDir,
        @DefaultValue("data") String dataDir,
        @DefaultValue("10MB") DataSize maxBodySize,
        @DefaultValue("4096") int maxImageDimension,
        @DefaultValue("2") int workersPerModel,
        @DefaultValue("mnist-mlp") String defaultImageModel,
        @DefaultValue("breast-cancer-logreg") String defaultTabularModel,
        @DefaultValue("mnist-dcgan") String defaultGeneratorModel,
        @DefaultValue("256") int maxBatch,
        @DefaultValue("200MB") DataSize maxDatasetSize,
        @DefaultValue("1") int nd4jThreads,
        @DefaultValue("64") int maxInflightInference,
        @DefaultValue("models") String seedModelsDir) {

    // Paths are bound as strings: Spring's Path conversion reads "../x" as a resource location.
    public Path modelsPath() {
        return Path.of(modelsDir);
    }

    /** The shipped models to seed the registry from, if any. */
    public java.util.Optional<Path> seedModelsPath() {
        return seedModelsDir == null || seedModelsDir.isBlank() ? java.util.Optional.empty()
                : java.util.Optional.of(Path.of(seedModelsDir));
    }
}
