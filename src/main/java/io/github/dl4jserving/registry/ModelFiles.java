package io.github.dl4jserving.registry;

import io.github.dl4jserving.registry.internal.ModelArchive;
import io.github.dl4jserving.registry.internal.ModelStore;
import io.github.dl4jserving.registry.internal.ModelStores;
import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;

/**
 * The model store, for tools that run without the service (the train command, a Kubernetes Job):
 * a running service's registry picks up what they write at its next rescan.
 */
public final class ModelFiles {
    private ModelFiles() {}

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
