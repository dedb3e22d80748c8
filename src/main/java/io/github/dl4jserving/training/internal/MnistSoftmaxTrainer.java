package io.github.dl4jserving.training.internal;

import java.util.List;

/** Softmax regression: a single dense softmax layer on the 784 pixels, the classic MNIST baseline. */
public class MnistSoftmaxTrainer extends MnistClassifierTrainer {

    public MnistSoftmaxTrainer() {
        super(List.of(), 10, 0);
    }

    @Override
    public String modelName() {
        return "mnist-softmax";
    }

    @Override
    public String description() {
        return "MNIST digit classifier, softmax regression 784-10";
    }
}
