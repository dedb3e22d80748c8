package io.github.dl4jserving.training.internal;

import java.util.List;

/** The 784-500-500-10 multilayer perceptron: ReLU, dropout 0.2 on the hidden layers, Adam. */
public class MnistMlpTrainer extends MnistClassifierTrainer {

    public MnistMlpTrainer() {
        super(List.of(500, 500), 10, 0.2);
    }

    @Override
    public String modelName() {
        return "mnist-mlp";
    }

    @Override
    public String description() {
        return "MNIST digit classifier, multilayer perceptron 784-500-500-10";
    }
}
