package io.github.dl4jserving.training.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;

/** The dot-product L2 scores as DL4J's own, on the weights as the network lays them out, and is stored as DL4J's. */
class FastL2Test {

    @Test
    void scoresTheNetworkAsDl4jsL2Does() {
        MultiLayerNetwork net = mlp(1e-2);
        for (int layer = 0; layer < 3; layer++) {
            INDArray weights = net.getLayer(layer).getParam("W"); // a column-major view of the flat parameters
            double expected = new L2Regularization(1e-2).score(weights, 0, 0);
            // ND4J's reduction rounds more than the dot product: 3.6e-5 of the exact sum of squares, against 5e-7
            assertThat(new FastL2(1e-2).score(weights, 0, 0)).isCloseTo(expected, within(expected * 2e-4));
            assertThat(weights.isView()).isTrue();
        }
        Nd4j.getRandom().setSeed(5);
        DataSet batch = new DataSet(
                Nd4j.rand(DataType.FLOAT, 32, 784),
                Nd4j.eye(10)
                        .repeat(0, 4)
                        .getRows(java.util.stream.IntStream.range(0, 32).toArray()));
        double fast = net.score(batch);
        FastL2.storeAsL2(net);
        double dl4j = net.score(batch);
        // the L2 term, far larger than the tolerance, is in both scores
        assertThat(fast).isCloseTo(dl4j, within(1e-3));
        assertThat(net.calcRegularizationScore(true)).isGreaterThan(0.05);
    }

    @Test
    void aTrainedNetworkIsStoredWithDl4jsOwnL2AndItsCoefficient() {
        MultiLayerNetwork net = mlp(1e-5);
        assertThat(regularization(net)).singleElement().isInstanceOf(FastL2.class);
        new TrainedModel(net, null, null, null);
        Regularization stored = regularization(net).get(0);
        assertThat(stored.getClass()).isEqualTo(L2Regularization.class);
        assertThat(((L2Regularization) stored).getL2().valueAt(0, 0)).isEqualTo(1e-5);
        String json = net.getLayerWiseConfigurations().toJson();
        assertThat(json).doesNotContain("FastL2").doesNotContain("FusedAdam");
        assertThat(MultiLayerConfiguration.fromJson(json)).isEqualTo(net.getLayerWiseConfigurations());
    }

    @Test
    void addsDl4jsGradientTermAndFlushesWeightsL2HasDrivenToZero() {
        INDArray weights = Nd4j.rand(DataType.FLOAT, 30, 20).dup('f').subi(0.5);
        weights.putScalar(0, 3, 1e-40f); // subnormal
        weights.putScalar(1, 4, -1e-30f);
        INDArray expectedGradient = Nd4j.rand(DataType.FLOAT, 30, 20).dup('f');
        INDArray gradient = expectedGradient.dup('f');
        INDArray dl4jWeights = weights.dup('f');
        new L2Regularization(1e-2).apply(dl4jWeights, expectedGradient, 1e-3, 0, 0);

        new FastL2(1e-2).apply(weights, gradient, 1e-3, 0, 0);

        assertThat(gradient.equalsWithEps(expectedGradient, 1e-7)).isTrue();
        assertThat(weights.getFloat(0, 3)).isZero();
        assertThat(weights.getFloat(1, 4)).isZero();
        weights.putScalar(0, 3, dl4jWeights.getFloat(0, 3));
        weights.putScalar(1, 4, dl4jWeights.getFloat(1, 4));
        assertThat(weights).as("every other weight as it was").isEqualTo(dl4jWeights);
    }

    private static MultiLayerNetwork mlp(double l2) {
        MultiLayerNetwork net = new MultiLayerNetwork(new MnistMlpTrainer().configuration(42, 1e-3, "adam", l2, 0, 10));
        net.init();
        return net;
    }

    private static java.util.List<Regularization> regularization(MultiLayerNetwork net) {
        return ((BaseLayer) net.getLayerWiseConfigurations().getConf(1).getLayer()).getRegularization();
    }
}
