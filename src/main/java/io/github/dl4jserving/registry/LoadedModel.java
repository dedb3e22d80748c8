package io.github.dl4jserving.registry;

import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;

/**
 * A version held in memory. The network is not safe for concurrent {@code output()} calls; the
 * inference module never uses it directly from two threads.
 *
 * @param normalizer the normalizer stored with the network, or {@code null} when it has none
 */
public record LoadedModel(
        ModelDescriptor descriptor,
        MultiLayerNetwork network,
        DataNormalization normalizer,
        Path directory,
        double loadSeconds) {

    public String name() {
        return descriptor.name();
    }

    public int version() {
        return descriptor.version();
    }

    public VersionId id() {
        return new VersionId(name(), version());
    }
}
