package io.github.dl4jserving.registry;

import io.github.dl4jserving.registry.internal.ModelStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;

/**
 * The model store as files, for tools that run without the service (the train command): a running
 * service's registry picks up what they write at its next rescan.
 */
public final class ModelFiles {
    private ModelFiles() {}

    /**
     * Seeds the store at {@code modelsDir} from {@code seeds} as the service would at start-up, so the
     * new version takes the number after the shipped ones, then writes {@code network} as the next
     * version of its model, atomically. Returns the descriptor written, with its version.
     */
    public static ModelDescriptor addVersion(
            Path modelsDir,
            Optional<Path> seeds,
            ModelDescriptor descriptor,
            MultiLayerNetwork network,
            DataNormalization normalizer)
            throws IOException {
        return ModelStore.seeded(modelsDir, seeds).writeNewVersion(descriptor, network, normalizer);
    }
}
