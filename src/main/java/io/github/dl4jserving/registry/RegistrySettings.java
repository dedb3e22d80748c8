package io.github.dl4jserving.registry;

import java.nio.file.Path;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

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
     */
    public record Store(
            @DefaultValue("filesystem") StoreType store,
            @DefaultValue S3 s3,
            boolean readOnly,
            String modelName) {
        static final Store FILESYSTEM = new Store(StoreType.FILESYSTEM, S3.NONE, false, null);

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
