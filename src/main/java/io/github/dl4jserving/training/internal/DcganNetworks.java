package io.github.dl4jserving.training.internal;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The DCGAN's two networks: the generator (dense 100 to 7x7x256, then transposed convolutions
 * with batch norm up to a 28x28 tanh image; the first, of stride 1, as the plain 5x5 convolution
 * it equals, since ND4J runs that 1.25x faster) and the discriminator (strided convolutions with leaky
 * ReLU and dropout to one sigmoid output), and the stacked network through which the generator
 * learns while the discriminator's layers stay frozen, with the parameter copies between them.
 */
final class DcganNetworks {
    private DcganNetworks() {}

    /** How the generator doubles its image from 7x7 to 14x14 to 28x28. */
    enum Upsampling {
        /** Stride-2 transposed 5x5 convolutions, as in the TensorFlow tutorial. */
        TRANSPOSED,
        /**
         * Nearest-neighbour upsampling then a plain 5x5 convolution (Odena et al., 2016): the same
         * weights, no checkerboard artefacts, and ND4J's convolution path instead of its {@code deconv2d}.
         */
        RESIZE
    }

    static MultiLayerConfiguration generatorConfiguration(long seed, double learningRate, Upsampling upsampling) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .weightInit(new NormalDistribution(0, 0.02))
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(MnistDcganTrainer.LATENT)
                        .nOut(7 * 7 * 256)
                        .activation(Activation.IDENTITY)
                        .hasBias(false)
                        .build())
                .layer(new BatchNormalization.Builder()
                        .nIn(7 * 7 * 256)
                        .nOut(7 * 7 * 256)
                        .build())
                .layer(new ActivationLayer.Builder()
                        .activation(new ActivationLReLU(0.2))
                        .build())
                .layer(strideOneDeconvolution())
                .layer(new BatchNormalization.Builder().nIn(128).nOut(128).build())
                .layer(new ActivationLayer.Builder()
                        .activation(new ActivationLReLU(0.2))
                        .build())
                .inputPreProcessor(3, new FeedForwardToCnnPreProcessor(7, 7, 256));
        doubling(list, upsampling, 128, 64, Activation.IDENTITY);
        list.layer(new BatchNormalization.Builder().nIn(64).nOut(64).build())
                .layer(new ActivationLayer.Builder()
                        .activation(new ActivationLReLU(0.2))
                        .build());
        doubling(list, upsampling, 64, 1, Activation.TANH);
        return list.build();
    }

    private static void doubling(
            NeuralNetConfiguration.ListBuilder list, Upsampling upsampling, int nIn, int nOut, Activation activation) {
        if (upsampling == Upsampling.TRANSPOSED) {
            list.layer(deconvolution(nIn, nOut, 2, activation));
            return;
        }
        list.layer(new Upsampling2D.Builder(2).build())
                .layer(new ConvolutionLayer.Builder()
                        .nIn(nIn)
                        .nOut(nOut)
                        .kernelSize(5, 5)
                        .stride(1, 1)
                        .convolutionMode(ConvolutionMode.Same)
                        .hasBias(activation == Activation.TANH)
                        .activation(activation)
                        .build());
    }

    /**
     * A transposed convolution of stride 1 with 'same' padding is a plain convolution with the
     * kernel flipped and its channel axes swapped: the same function family, the same 819,200
     * weights. ND4J's {@code deconv2d} runs it at about 9 GFLOP/s; as a convolution it goes through
     * im2col and one sgemm, which made a training iteration 0.78-0.80 of the time
     * ({@code docs/performance.md}).
     */
    static ConvolutionLayer strideOneDeconvolution() {
        return new ConvolutionLayer.Builder()
                .nIn(256)
                .nOut(128)
                .kernelSize(5, 5)
                .stride(1, 1)
                .convolutionMode(ConvolutionMode.Same)
                .hasBias(false)
                .activation(Activation.IDENTITY)
                .build();
    }

    static Deconvolution2D deconvolution(int nIn, int nOut, int stride, Activation activation) {
        return new Deconvolution2D.Builder()
                .nIn(nIn)
                .nOut(nOut)
                .kernelSize(5, 5)
                .stride(stride, stride)
                .convolutionMode(ConvolutionMode.Same)
                .hasBias(activation == Activation.TANH)
                .activation(activation)
                .build();
    }

    static MultiLayerConfiguration discriminatorConfiguration(long seed, double learningRate) {
        double retain = 1.0 - 0.3;
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .weightInit(new NormalDistribution(0, 0.02))
                .list()
                .layer(new ConvolutionLayer.Builder()
                        .nIn(1)
                        .nOut(64)
                        .kernelSize(5, 5)
                        .stride(2, 2)
                        .convolutionMode(ConvolutionMode.Same)
                        .activation(new ActivationLReLU(0.2))
                        .build())
                .layer(new ConvolutionLayer.Builder()
                        .nIn(64)
                        .nOut(128)
                        .kernelSize(5, 5)
                        .stride(2, 2)
                        .convolutionMode(ConvolutionMode.Same)
                        .activation(new ActivationLReLU(0.2))
                        .dropOut(retain)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT)
                        .nOut(1)
                        .activation(Activation.SIGMOID)
                        .dropOut(retain)
                        .build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build();
    }

    /** Generator layers then discriminator layers; the latter never learn here. */
    static MultiLayerNetwork stack(
            MultiLayerNetwork generator, MultiLayerNetwork discriminator, long seed, double learningRate) {
        MultiLayerConfiguration g = generator.getLayerWiseConfigurations();
        MultiLayerConfiguration d = discriminator.getLayerWiseConfigurations();
        int gn = g.getConfs().size();
        int dn = d.getConfs().size();
        Layer[] layers = new Layer[gn + dn];
        Map<Integer, InputPreProcessor> pre = new HashMap<>();
        for (int i = 0; i < gn + dn; i++) {
            boolean gen = i < gn;
            MultiLayerConfiguration src = gen ? g : d;
            int j = gen ? i : i - gn;
            layers[i] = src.getConf(j).getLayer().clone();
            if (!gen && layers[i] instanceof BaseLayer frozen) {
                frozen.setIUpdater(new NoOp());
                frozen.setBiasUpdater(new NoOp());
            }
            if (src.getInputPreProcess(j) != null) {
                pre.put(i, src.getInputPreProcess(j).clone());
            }
        }
        MultiLayerNetwork stacked = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .list(layers)
                .inputPreProcessors(pre)
                .build());
        stacked.init();
        for (int i = 0; i < gn; i++) {
            copyParams(generator.getLayer(i), stacked.getLayer(i));
        }
        copyDiscriminatorInto(stacked, discriminator);
        return stacked;
    }

    /**
     * Sets the rate of the Adam updaters of {@code net}'s first {@code layers} layers, in place: the
     * updater already built reads its configuration at every step, so its moments stay as they are.
     * (DL4J's own {@code setLearningRate} rebuilds the updater and fails on the stacked network's
     * frozen layers.) Frozen layers' no-op updaters have no rate and stay.
     */
    static void setLearningRate(MultiLayerNetwork net, int layers, double rate) {
        for (int i = 0; i < layers; i++) {
            if (net.getLayer(i).conf().getLayer() instanceof BaseLayer layer) {
                for (IUpdater updater : new IUpdater[] {layer.getIUpdater(), layer.getBiasUpdater()}) {
                    if (updater != null && updater.hasLearningRate()) {
                        updater.setLrAndSchedule(rate, null);
                    }
                }
            }
        }
    }

    static void copyDiscriminatorInto(MultiLayerNetwork stacked, MultiLayerNetwork discriminator) {
        int first = stacked.getnLayers() - discriminator.getnLayers();
        for (int i = 0; i < discriminator.getnLayers(); i++) {
            copyParams(discriminator.getLayer(i), stacked.getLayer(first + i));
        }
    }

    static void copyGeneratorOut(MultiLayerNetwork stacked, MultiLayerNetwork generator) {
        for (int i = 0; i < generator.getnLayers(); i++) {
            copyParams(stacked.getLayer(i), generator.getLayer(i));
        }
    }

    /** Activation layers have no parameters to copy. */
    private static void copyParams(org.deeplearning4j.nn.api.Layer from, org.deeplearning4j.nn.api.Layer to) {
        if (from.numParams() > 0) {
            to.setParams(from.params().dup());
        }
    }
}
