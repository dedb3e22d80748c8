package io.github.dl4jserving.training;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;

import io.github.dl4jserving.registry.ModelDescriptor;

/** A trainer's output: the network, its normalizer or {@code null}, and its descriptor (version 0). */
public record TrainedModel(MultiLayerNetwork network, DataNormalization normalizer, ModelDescriptor descriptor) {
}
