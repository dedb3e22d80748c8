package io.github.dl4jserving.registry;

import io.github.dl4jserving.registry.internal.FileModelStore;
import io.github.dl4jserving.registry.internal.ModelArchive;
import io.github.dl4jserving.registry.internal.ModelStore;
import io.github.dl4jserving.registry.internal.ModelStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.springframework.util.FileSystemUtils;

/**
 * The model store, for tools that run without the service (the train command, a Kubernetes Job):
 * a running service's registry picks up what they write at its next rescan.
 */
public final class ModelFiles {
    /**
     * A version's training state, beside its two files: what a later sitting of the training that
     * shipped it needs to continue (the GAN's discriminator and optimizer state). Never loaded for
     * serving, never copied when the shipped models seed a store; only the newest version keeps one.
     */
    public static final String TRAINING_STATE = "training";

    private ModelFiles() {}

    /** Whether {@code dir} is a version's directory: it holds the version's descriptor. */
    public static boolean isVersionDirectory(Path dir) {
        return Files.isRegularFile(dir.resolve(ModelStore.DESCRIPTOR_FILE));
    }

    /**
     * Moves {@code state} (a directory) into {@code version} of a directory store as its
     * {@link #TRAINING_STATE}, and removes the training state of every other version of that model.
     * Returns the new place, or empty when the store is not a directory (an S3 bucket keeps none).
     */
    public static Optional<Path> shipTrainingState(RegistrySettings settings, ModelDescriptor version, Path state)
            throws IOException {
        if (!(ModelStores.open(settings) instanceof FileModelStore files)) {
            return Optional.empty();
        }
        Path versionDir = files.versionDir(version.name(), version.version());
        Path target = versionDir.resolve(TRAINING_STATE);
        Path tmp = versionDir.resolve(".tmp-" + TRAINING_STATE);
        FileSystemUtils.deleteRecursively(tmp);
        FileSystemUtils.copyRecursively(state, tmp);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        try (Stream<Path> siblings = Files.list(versionDir.getParent())) {
            for (Path other : siblings.filter(d -> !d.equals(versionDir)).toList()) {
                FileSystemUtils.deleteRecursively(other.resolve(TRAINING_STATE));
            }
        }
        return Optional.of(target);
    }

    /**
     * Seeds the store of {@code settings} (a directory or an S3 bucket) from the shipped models as the
     * service would at start-up, so the new version takes the number after the shipped ones, then
     * writes {@code network} as the next version of its model, atomically. Returns the descriptor
     * written, with its version.
     */
    public static ModelDescriptor addVersion(
            RegistrySettings settings,
            ModelDescriptor descriptor,
            MultiLayerNetwork network,
            DataNormalization normalizer)
            throws IOException {
        ModelStore store = ModelStores.open(settings);
        if (settings.seedModelsPath().isPresent()
                && !ModelStores.seed(store, settings.seedModelsPath().get())) {
            throw new StoreUnavailableException("Could not reach " + store.location() + " to seed it", null);
        }
        return store.writeNewVersion(descriptor, network, normalizer).descriptor();
    }

    /**
     * The parameters the network in {@code modelZip} declares, from its configuration, without reading
     * its weights; the archive is checked as every stored one is.
     */
    public static long parameterCount(Path modelZip) throws IOException {
        return ModelArchive.parameterCount(modelZip);
    }

    /** Where {@code settings} keep the versions: a directory or an {@code s3://} address. */
    public static String location(RegistrySettings settings) {
        return ModelStores.open(settings).location();
    }
}
