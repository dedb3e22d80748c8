package io.github.dl4jserving.inference.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.ShippedModels;
import io.github.dl4jserving.TestData;
import io.github.dl4jserving.registry.LoadedModel;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The dense forward pass against DL4J's own {@code output} on the shipped networks, row by row and
 * as a matrix product, and the networks it leaves to DL4J.
 */
class DenseForwardTest {
    private static final int MAX_ROWS = 64;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 8, 9, 33, 64})
    void theMlpAnswersAsDl4jDoesForEveryBatchSize(int rows) {
        MultiLayerNetwork net =
                ShippedModels.registry().defaultVersion("mnist-mlp").network();
        INDArray input = Nd4j.create(DataType.FLOAT, rows, 784);
        for (int r = 0; r < rows; r++) {
            input.putRow(r, Nd4j.createFromArray(TestData.mnistTestImages().scaled(r)));
        }
        try (DenseForward dense = DenseForward.of(net, MAX_ROWS)) {
            assertThat(dense).isNotNull();
            INDArray expected = net.output(input, false);
            // Twice: the second pass reuses the kept arrays and must not carry anything over.
            for (int pass = 0; pass < 2; pass++) {
                INDArray actual = dense.output(input, rows);
                assertThat(actual.shape()).containsExactly(rows, 10);
                assertThat(actual.isView()).isFalse();
                assertThat(actual.ordering()).isEqualTo('c');
                assertThat(maxDifference(expected, actual)).as("pass %d", pass).isLessThan(1e-5);
            }
        }
    }

    @Test
    void aNewInputArrayOfTheSameSizeIsReadNotTheOldOne() {
        MultiLayerNetwork net =
                ShippedModels.registry().defaultVersion("mnist-mlp").network();
        try (DenseForward dense = DenseForward.of(net, MAX_ROWS)) {
            for (int image = 0; image < 3; image++) {
                INDArray input = Nd4j.createFromArray(
                        new float[][] {TestData.mnistTestImages().scaled(image)});
                assertThat(maxDifference(net.output(input, false), dense.output(input, 1)))
                        .isLessThan(1e-5);
            }
        }
    }

    @Test
    void theTabularModelsAnswerAsDl4jDoes() {
        Random random = new Random(34);
        for (String name : new String[] {"breast-cancer-logreg", "mnist-softmax", "salary-polyreg"}) {
            LoadedModel model = ShippedModels.registry().defaultVersion(name);
            MultiLayerNetwork net = model.network();
            long width = net.getLayer(0).getParam("W").rows();
            for (int rows : new int[] {1, 5, 20}) {
                INDArray input = Nd4j.rand(DataType.FLOAT, rows, width).muli(random.nextInt(5) + 1);
                try (DenseForward dense = DenseForward.of(net, MAX_ROWS)) {
                    assertThat(dense).as(name).isNotNull();
                    INDArray expected = net.output(input, false);
                    assertThat(maxDifference(expected, dense.output(input, rows)))
                            .as("%s, %d rows", name, rows)
                            .isLessThan(1e-5 * Math.max(1, expected.amaxNumber().doubleValue()));
                }
            }
        }
    }

    @Test
    void networksWithOtherLayersOrLayerNormalizationAreLeftToDl4j() {
        assertThat(DenseForward.of(
                        ShippedModels.registry().defaultVersion("mnist-dcgan").network(), MAX_ROWS))
                .isNull();
        assertThat(DenseForward.of(twoLayers(true), MAX_ROWS)).isNull();
        assertThat(DenseForward.of(twoLayers(false), MAX_ROWS)).isNotNull();
    }

    /** A 4-8-3 network, its hidden layer with or without layer normalization. */
    private static MultiLayerNetwork twoLayers(boolean layerNorm) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .list()
                .layer(new DenseLayer.Builder()
                        .nOut(8)
                        .hasLayerNorm(layerNorm)
                        .activation(Activation.TANH)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(3)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.feedForward(4))
                .build());
        net.init();
        return net;
    }

    private static double maxDifference(INDArray expected, INDArray actual) {
        return expected.sub(actual).amaxNumber().doubleValue();
    }
}
