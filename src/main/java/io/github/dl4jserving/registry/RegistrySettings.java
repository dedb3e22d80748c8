package io.github.dl4jserving.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The registry's {@code dl4j-serving.*} settings.
 *
 * @param modelsDir      the model store, written by the service: uploads, trained versions, pins, job
 *                       records and data sets ({@code DL4J_SERVING_MODELS_DIR}); with the S3 store, the
 *                       local directory for job records, data sets and the cache of downloaded versions
 * @param seedModelsDir  the shipped models, only read: at start-up, versions the store has never had are
 *                       copied from here into it ({@code DL4J_SERVING_SEED_MODELS_DIR}; empty: none)
 * @param registry       where the versions are kept: {@code dl4j-serving.registry.*}
 */
@ConfigurationProperties("dl4j-serving")
public record RegistrySettings(
        @DefaultValue("model-store") String modelsDir,
        @DefaultValue("models") String seedModelsDir,
        @DefaultValue Store registry) {

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

    /** The kinds of store ({@code dl4j-serving.registry.store}). */
    public enum StoreType {
        /** The models directory ({@code dl4j-serving.models-dir}). */
        FILESYSTEM,
        /** An S3-compatible bucket ({@code dl4j-serving.registry.s3.*}). */
        S3
    }

    /**
     * {@code dl4j-serving.registry.*}.
     *
     * @param store     {@code filesystem} (the default) or {@code s3}
     * @param s3        the bucket, when {@code store=s3}
     * @param readOnly  never write: no uploads, training results, pins, deletions or seeding (KServe's
     *                  {@code /mnt/models} is read-only)
     * @param modelName serve one model whose versions lie directly in the store's root
     *                  ({@code <root>/<version>/model.zip}), as KServe's storage initializer lays it out
     * @param maxLoadedBytes the memory the loaded versions may hold together (their parameters and their
     *                  batch workers' working memory), such as {@code 2GB}; unset: no limit, every version
     *                  is loaded at start-up. With a limit, versions load on their first request and the
     *                  least recently used are unloaded to make room
     * @param keepLoaded with a limit, the models whose versions are loaded at start-up and never unloaded;
     *                  readiness waits for them
     * @param loadTimeout how long a request waits for the load of the version it needs
     * @param maxConcurrentLoads versions read from disk at once by requests (1: a load takes at most one
     *                  core, and the models in memory keep the others)
     */
    public record Store(
            @DefaultValue("filesystem") StoreType store,
            @DefaultValue S3 s3,
            boolean readOnly,
            String modelName,
            DataSize maxLoadedBytes,
            List<String> keepLoaded,
            @DefaultValue("60s") Duration loadTimeout,
            @DefaultValue("1") int maxConcurrentLoads) {
        static final Store FILESYSTEM = new Store(StoreType.FILESYSTEM, S3.NONE, false, null);

        /** A store with no memory limit. */
        public Store(StoreType store, S3 s3, boolean readOnly, String modelName) {
            this(store, s3, readOnly, modelName, null, List.of(), Duration.ofSeconds(60), 1);
        }

        @ConstructorBinding
        public Store {
            keepLoaded = keepLoaded == null ? List.of() : List.copyOf(keepLoaded);
            loadTimeout = loadTimeout == null ? Duration.ofSeconds(60) : loadTimeout;
            if (maxLoadedBytes != null && maxLoadedBytes.toBytes() <= 0) {
                throw new IllegalArgumentException(
                        "dl4j-serving.registry.max-loaded-bytes must be positive, not " + maxLoadedBytes);
            }
            if (maxConcurrentLoads < 1) {
                throw new IllegalArgumentException(
                        "dl4j-serving.registry.max-concurrent-loads must be at least 1, not " + maxConcurrentLoads);
            }
            if (loadTimeout.isNegative() || loadTimeout.isZero()) {
                throw new IllegalArgumentException(
                        "dl4j-serving.registry.load-timeout must be positive, not " + loadTimeout);
            }
        }

        /** The memory limit these settings give. */
        public MemoryBudget memory() {
            return maxLoadedBytes == null
                    ? MemoryBudget.UNLIMITED
                    : new MemoryBudget(
                            maxLoadedBytes.toBytes(), Set.copyOf(keepLoaded), loadTimeout, maxConcurrentLoads);
        }

        /** The single model's name, if the store holds one model's versions directly. */
        public Optional<String> singleModel() {
            return modelName == null || modelName.isBlank() ? Optional.empty() : Optional.of(modelName);
        }
    }

    /**
     * {@code dl4j-serving.registry.s3.*}: any S3-compatible store (AWS, MinIO, Ceph, SeaweedFS,
     * s3proxy). Credentials come from the AWS SDK's default chain ({@code AWS_ACCESS_KEY_ID} and
     * {@code AWS_SECRET_ACCESS_KEY}, a profile, or an instance or pod role).
     *
     * @param endpoint  the service's address, such as {@code http://minio:9000}; empty: AWS
     * @param bucket    the bucket, which must exist
     * @param prefix    the key prefix of the repository in the bucket, such as {@code models/}
     * @param region    the signing region
     * @param pathStyle address the bucket as {@code <endpoint>/<bucket>} rather than as a host name
     */
    public record S3(
            String endpoint,
            String bucket,
            @DefaultValue("") String prefix,
            @DefaultValue("us-east-1") String region,
            @DefaultValue("true") boolean pathStyle) {
        static final S3 NONE = new S3(null, null, "", "us-east-1", true);
    }
}
