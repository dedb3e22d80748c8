package io.github.dl4jserving.registry.internal;

import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.StoreUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;

/**
 * Where versions are kept: {@code <name>/<version>/{model.zip,model.json}} and a
 * {@code <name>/default-version} pin, on a local directory ({@link FileModelStore}) or in an
 * S3-compatible bucket ({@link S3ModelStore}). A version is visible to {@link #scan} only once it is
 * complete; its number is never given out twice, even after it is deleted.
 *
 * <p>The registry loads versions from local files: {@link #localCopy} gives a directory holding a
 * version's two files, the version's own directory for the file store and a cached download for S3.
 */
public interface ModelStore {
    String MODEL_FILE = "model.zip";
    String DESCRIPTOR_FILE = "model.json";
    /** Holds the pinned default version of a model, when one is pinned. */
    String DEFAULT_FILE = "default-version";

    /** Where the store is, for logs: a directory or an {@code s3://bucket/prefix} address. */
    String location();

    /** Where the store is, for health and other unauthenticated answers: no local path. */
    default String publicLocation() {
        return location();
    }

    /** Whether this store refuses every write ({@code dl4j-serving.registry.read-only}). */
    boolean readOnly();

    /** The one model this store holds, in single-model mode ({@code dl4j-serving.registry.model-name}). */
    Optional<String> singleModel();

    /**
     * Every complete version in the store, by name and ascending version.
     *
     * @throws StoreUnavailableException when the store cannot be read
     */
    List<StoredVersion> scan();

    /** A local directory holding the two files of {@code version}, fetched first if need be. */
    Path localCopy(StoredVersion version) throws IOException;

    /** The pinned default version of {@code name}, if a valid one is pinned. */
    Optional<Integer> pinnedDefault(String name);

    /** Pins the default version of {@code name}, replacing the previous pin in one step. */
    void pinDefault(String name, int version) throws IOException;

    /**
     * Writes {@code network} as the next version of the descriptor's model and returns the written
     * version, its descriptor carrying the number it was given.
     */
    WrittenVersion writeNewVersion(ModelDescriptor descriptor, MultiLayerNetwork network, DataNormalization normalizer)
            throws IOException;

    /**
     * Adds an uploaded model file as the next version of {@code descriptor.name()}. {@code validate}
     * is called on a complete local copy before the version becomes visible; when it (or anything
     * else) fails, no version appears.
     */
    WrittenVersion writeUploadedVersion(ModelDescriptor descriptor, Path modelZip, VersionValidator validate)
            throws IOException;

    /** Removes a version; it disappears from {@link #scan} in one step. */
    void deleteVersion(String name, int version) throws IOException;

    /**
     * Forgets the pinned default of a model whose versions are all gone. The record of the numbers the
     * model was given stays, so shipped versions are not seeded again and a new upload takes the next
     * number.
     */
    void unpinDefault(String name) throws IOException;

    /**
     * Copies into this store every version under {@code seeds} (the shipped models, read only) that
     * this store has never had: a version is copied when its number is above every number the model
     * was ever given here. So the first start takes all the seeds, a later release's new seed
     * versions arrive, and a version the user deleted, or a number the user's own training took, is
     * never brought back or overwritten. Returns the versions copied.
     */
    List<StoredVersion> seedFrom(Path seeds) throws IOException;

    /** Removes what writers killed mid-write left behind, when it is older than a few minutes. */
    void removeLeftovers();

    /** A complete version in a store; {@code stamp} changes whenever its files do. */
    record StoredVersion(String name, int version, String stamp) {}

    /** A version just written: its descriptor, with its number, and a local directory holding its files. */
    record WrittenVersion(ModelDescriptor descriptor, Path directory) {}

    /** Checks a complete version, in a local directory, before it becomes visible. */
    @FunctionalInterface
    interface VersionValidator {
        void check(Path versionDirectory, ModelDescriptor descriptor) throws IOException;
    }
}
