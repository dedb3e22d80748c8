package io.github.dl4jserving.training.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The GAN's layers run on oneDNN (ND4J's oneDNN build, DL4J's helpers switched on and the
 * environment class DL4J looks for, see {@code org.nd4j.nativeblas.Nd4jCpu}), and oneDNN computes
 * what DL4J's own path computes: the same outputs, scores and gradients for both networks.
 */
class OneDnnHelpersTest {
    private static final String HELPERS_DISABLE = "org.eclipse.deeplearning4j.helpers.disable";

    @Test
    void theGeneratorsConvolutionsAndBatchNormsRunOnOneDnnAndAgreeWithDl4jsOwnPath() {
        MultiLayerConfiguration conf = DcganNetworks.generatorConfiguration(7, 1e-4, MnistDcganTrainer.UPSAMPLING);
        MultiLayerNetwork fast = network(conf);
        MultiLayerNetwork plain = withoutHelpers(() -> network(conf.clone()));
        plain.setParams(fast.params().dup());
        assertThat(fast.getLayer(3).getHelper()).isInstanceOf(MKLDNNConvHelper.class);
        assertThat(fast.getLayer(4).getHelper()).isInstanceOf(MKLDNNBatchNormHelper.class);
        assertThat(plain.getLayer(3).getHelper()).isNull();

        INDArray z = DcganInputs.noise(3, 16);
        assertClose(fast.output(z, false), plain.output(z, false), 1e-4);
        // Training mode: batch statistics, and the gradients the generator learns from.
        INDArray target = Nd4j.rand(DataType.FLOAT, 16, 1, 28, 28).muli(2).subi(1);
        Gradient g1 = gradient(fast, z, target);
        Gradient g2 = gradient(plain, z, target);
        assertThat(fast.score()).isCloseTo(plain.score(), org.assertj.core.data.Offset.offset(1e-4));
        // Measured: at most 0.2% apart in norm (the first layers' weights, fed by one batch norm's
        // shift that oneDNN sums differently); a wrong gradient is apart by its own size.
        for (String key : g2.gradientForVariable().keySet()) {
            INDArray apart = g1.getGradientFor(key).sub(g2.getGradientFor(key));
            assertThat(apart.norm2Number().doubleValue())
                    .as(key)
                    .isLessThan(0.01 * g2.getGradientFor(key).norm2Number().doubleValue());
        }
    }

    @Test
    void theDiscriminatorsConvolutionsRunOnOneDnnAndAgreeWithDl4jsOwnPath() {
        MultiLayerConfiguration conf = DcganNetworks.discriminatorConfiguration(7, 1e-4);
        MultiLayerNetwork fast = network(conf);
        MultiLayerNetwork plain = withoutHelpers(() -> network(conf.clone()));
        plain.setParams(fast.params().dup());
        assertThat(fast.getLayer(0).getHelper()).isInstanceOf(MKLDNNConvHelper.class);

        INDArray images = Nd4j.rand(DataType.FLOAT, 16, 1, 28, 28).muli(2).subi(1);
        assertClose(fast.output(images, false), plain.output(images, false), 1e-5);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 16, 1);
        // the same dropout masks for both
        Nd4j.getRandom().setSeed(11);
        fast.setInput(images);
        fast.setLabels(labels);
        fast.computeGradientAndScore();
        Nd4j.getRandom().setSeed(11);
        plain.setInput(images);
        plain.setLabels(labels);
        plain.computeGradientAndScore();
        assertClose(fast.gradient().gradient(), plain.gradient().gradient(), 1e-4);
    }

    private static Gradient gradient(MultiLayerNetwork generator, INDArray z, INDArray target) {
        // The generator has no loss layer: the gradient of a squared error on its image, backwards.
        generator.setInput(z);
        INDArray image = generator.feedForward(true, false).get(generator.getnLayers());
        INDArray epsilon = image.sub(target).muli(2.0 / image.length());
        generator.setScore(image.squaredDistance(target) / image.length());
        return generator.backpropGradient(epsilon, null).getFirst();
    }

    private static MultiLayerNetwork network(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** DL4J reads the switch when a layer is made: a network made inside keeps its own path. */
    private static <T> T withoutHelpers(Supplier<T> make) {
        String before = System.getProperty(HELPERS_DISABLE);
        System.setProperty(HELPERS_DISABLE, "true");
        try {
            return make.get();
        } finally {
            if (before == null) {
                System.clearProperty(HELPERS_DISABLE);
            } else {
                System.setProperty(HELPERS_DISABLE, before);
            }
        }
    }

    private static void assertClose(INDArray actual, INDArray expected, double tolerance) {
        double scale = Math.max(1e-6, expected.amaxNumber().doubleValue());
        double apart = Transforms.abs(actual.sub(expected)).maxNumber().doubleValue();
        assertThat(apart / scale)
                .as("largest difference relative to the largest value")
                .isLessThan(tolerance);
    }
}
