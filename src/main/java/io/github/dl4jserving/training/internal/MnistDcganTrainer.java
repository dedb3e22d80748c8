package io.github.dl4jserving.training.internal;

import java.util.stream.IntStream;

import io.github.dl4jserving.training.Hyperparameter;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

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
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.dl4jserving.datasets.DataDirectory;
import io.github.dl4jserving.datasets.DatasetFile;
import io.github.dl4jserving.datasets.MnistIdxReader;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelKind;

/**
 * The DCGAN of Radford et al. as in TensorFlow's MNIST tutorial. The generator is trained through
 * a stacked network (generator layers followed by the discriminator's, the latter frozen with a
 * no-op updater), whose discriminator half is refreshed from the discriminator after each of its updates.
 * The discriminator's last layer is a single sigmoid unit with binary cross-entropy, which is
 * binary cross-entropy on its logit. Only the generator is kept; training stops after the epochs
 * or the time budget, whichever comes first.
 */
public class MnistDcganTrainer implements Trainer {
    private static final Logger log = LoggerFactory.getLogger(MnistDcganTrainer.class);
    public static final int LATENT = 100;
    static final int GENERATOR_LAYERS = 10;

    @Override
    public String modelName() {
        return "mnist-dcgan";
    }

    @Override
    public ModelKind kind() {
        return ModelKind.IMAGE_GENERATOR;
    }

    @Override
    public String description() {
        return "DCGAN generator: z in R^100 (standard normal) to a 28x28 MNIST-like digit";
    }

    @Override
    public List<String> datasets() {
        return List.of("mnist");
    }

    @Override
    public List<Hyperparameter> hyperparameters() {
        return List.of(
                Hyperparameter.integer("epochs", 50, 1, 500, "passes over the training images, if time allows"),
                Hyperparameter.integer("batchSize", 64, 2, 1024, "real images per discriminator step"),
                Hyperparameter.number("learningRate", 1e-4, 1e-6, 1, "Adam rate, both networks"),
                Hyperparameter.integer("seed", 42, 0, Integer.MAX_VALUE, "weight init, noise, shuffling"),
                Hyperparameter.number("minutes", 20, 0.05, 1440, "stop after the iteration that passes this time"));
    }

    /** The discriminator's mean output on generated digits: 0.5 would mean it cannot tell them apart. */
    @Override
    public PrimaryMetric primaryMetric() {
        return new PrimaryMetric("discriminator_mean_on_generated", true);
    }

    @Override
    public TrainedModel train(TrainingData input, TrainingOptions options, TrainingProgress progress)
            throws IOException {
        DataDirectory data = input.directory();
        int epochs = options.epochsOr(50);
        int batchSize = options.batchSizeOr(64);
        double learningRate = options.learningRateOr(1e-4);
        long seed = options.seedOr(42);
        Duration budget = options.timeBudget() != null ? options.timeBudget() : Duration.ofMinutes(20);
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();

        MnistIdxReader.IdxImages train = MnistIdxReader.readImages(data.resolve(DatasetFile.MNIST_TRAIN_IMAGES));
        MnistIdxReader.IdxImages test = MnistIdxReader.readImages(data.resolve(DatasetFile.MNIST_TEST_IMAGES));
        Nd4j.getRandom().setSeed(seed);

        MultiLayerNetwork discriminator = new MultiLayerNetwork(discriminatorConfiguration(seed, learningRate));
        discriminator.init();
        MultiLayerNetwork generator = new MultiLayerNetwork(generatorConfiguration(seed, learningRate));
        generator.init();
        MultiLayerNetwork stacked = stack(generator, discriminator, seed, learningRate);

        Random shuffle = new Random(seed);
        int[] order = MnistSamples.shuffled(train.count(), shuffle);
        long iterationsPerEpoch = train.count() / batchSize;
        long iteration = 0;
        long imagesSeen = 0;
        int epochsDone = 0;
        double dLoss = Double.NaN;
        double gLoss = Double.NaN;
        boolean outOfTime = false;
        for (int epoch = 1; epoch <= epochs && !outOfTime; epoch++) {
            MnistSamples.shuffleInPlace(order, shuffle);
            double dSum = 0;
            double gSum = 0;
            int batches = 0;
            for (int from = 0; from + batchSize <= order.length; from += batchSize) {
                if (progress.cancelRequested()) {
                    throw new TrainingCancelledException();
                }
                INDArray real = realBatch(train, order, from, batchSize);
                INDArray fake = stacked.feedForwardToLayer(GENERATOR_LAYERS - 1,
                        Nd4j.randn(DataType.FLOAT, batchSize, LATENT), true).get(GENERATOR_LAYERS);
                INDArray labels = Nd4j.vstack(Nd4j.ones(DataType.FLOAT, batchSize, 1),
                        Nd4j.zeros(DataType.FLOAT, batchSize, 1));
                discriminator.fit(new DataSet(Nd4j.concat(0, real, fake), labels));
                dLoss = discriminator.score();
                copyDiscriminatorInto(stacked, discriminator);

                stacked.fit(new DataSet(Nd4j.randn(DataType.FLOAT, batchSize, LATENT),
                        Nd4j.ones(DataType.FLOAT, batchSize, 1)));
                gLoss = stacked.score();
                dSum += dLoss;
                gSum += gLoss;
                batches++;
                iteration++;
                imagesSeen += batchSize;
                double fraction = Math.max(iteration / (double) (iterationsPerEpoch * epochs),
                        (System.nanoTime() - start) / (double) budget.toNanos());
                progress.iteration(epoch, iteration, gLoss, Math.min(1.0, fraction));
                if (iteration % 50 == 0) {
                    log.info("mnist-dcgan epoch {} iteration {}: D loss {} G loss {} ({} s)", epoch, iteration,
                            dLoss, gLoss, (System.nanoTime() - start) / 1_000_000_000L);
                }
                if (System.nanoTime() > deadline) {
                    outOfTime = true;
                    break;
                }
            }
            if (!outOfTime) {
                epochsDone = epoch;
            }
            Map<String, Double> val = new LinkedHashMap<>();
            val.put("discriminator_loss", dSum / Math.max(1, batches));
            progress.epoch(epoch, gSum / Math.max(1, batches), val);
        }
        copyGeneratorOut(stacked, generator);
        double seconds = (System.nanoTime() - start) / 1e9;

        Map<String, Double> metrics = new LinkedHashMap<>(heldOutMetrics(generator, discriminator, test, seed));
        metrics.put("final_discriminator_loss", dLoss);
        metrics.put("final_generator_loss", gLoss);
        metrics.put("training_images_seen", (double) imagesSeen);
        metrics.put("iterations", (double) iteration);

        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("epochs", epochs);
        hyper.put("batchSize", batchSize);
        hyper.put("learningRate", learningRate);
        hyper.put("optimizer", "adam");
        hyper.put("timeBudgetSeconds", budget.toSeconds());
        hyper.put("latentDimension", LATENT);
        ModelDescriptor descriptor = new ModelDescriptor(modelName(), 0, ModelKind.IMAGE_GENERATOR, Instant.now(),
                "DCGAN generator: z in R^100 (standard normal) to a 28x28 MNIST-like digit",
                ModelDescriptor.InputSchema.latent(LATENT),
                List.of(),
                metrics,
                null);
        return new TrainedModel(generator, null, descriptor, new TrainedModel.Fit("mnist",
                MnistSamples.sha256(data, List.of(DatasetFile.MNIST_TRAIN_IMAGES)), hyper, seed, epochsDone,
                imagesSeen, String.format("Trained %.1f minutes on 2 CPU cores: %d iterations, %d images seen "
                        + "(%d full epochs).", seconds / 60, iteration, imagesSeen, epochsDone)));
    }

    /**
     * The discriminator's mean output on 1,000 held-out test images and on 1,000 generated ones: a
     * generator that fools it pulls the second towards the first.
     */
    private static Map<String, Double> heldOutMetrics(MultiLayerNetwork generator, MultiLayerNetwork discriminator,
            MnistIdxReader.IdxImages test, long seed) {
        int n = 1000;
        int[] idx = IntStream.range(0, n).toArray();
        double real = discriminator.output(realBatch(test, idx, 0, n), false).meanNumber().doubleValue();
        Nd4j.getRandom().setSeed(seed + 7);
        INDArray fake = generator.output(Nd4j.randn(DataType.FLOAT, n, LATENT), false);
        double fakeScore = discriminator.output(fake, false).meanNumber().doubleValue();
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("discriminator_mean_on_test_images", real);
        m.put("discriminator_mean_on_generated", fakeScore);
        return m;
    }

    /** Images {@code order[from..from+n)} as [n, 1, 28, 28] in [-1, 1], the generator's tanh range. */
    static INDArray realBatch(MnistIdxReader.IdxImages images, int[] order, int from, int n) {
        int size = images.rows() * images.cols();
        float[] buffer = new float[n * size];
        for (int r = 0; r < n; r++) {
            byte[] px = images.pixels()[order[from + r]];
            for (int p = 0; p < size; p++) {
                buffer[r * size + p] = (px[p] & 0xFF) / 127.5f - 1f;
            }
        }
        return Nd4j.create(buffer, new long[] {n, 1, images.rows(), images.cols()}, DataType.FLOAT);
    }

    static MultiLayerConfiguration generatorConfiguration(long seed, double learningRate) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .weightInit(new NormalDistribution(0, 0.02))
                .list()
                .layer(new DenseLayer.Builder().nIn(LATENT).nOut(7 * 7 * 256).activation(Activation.IDENTITY)
                        .hasBias(false).build())
                .layer(new BatchNormalization.Builder().nIn(7 * 7 * 256).nOut(7 * 7 * 256).build())
                .layer(new ActivationLayer.Builder().activation(new ActivationLReLU(0.2)).build())
                .layer(deconvolution(256, 128, 1, Activation.IDENTITY))
                .layer(new BatchNormalization.Builder().nIn(128).nOut(128).build())
                .layer(new ActivationLayer.Builder().activation(new ActivationLReLU(0.2)).build())
                .layer(deconvolution(128, 64, 2, Activation.IDENTITY))
                .layer(new BatchNormalization.Builder().nIn(64).nOut(64).build())
                .layer(new ActivationLayer.Builder().activation(new ActivationLReLU(0.2)).build())
                .layer(deconvolution(64, 1, 2, Activation.TANH))
                .inputPreProcessor(3, new FeedForwardToCnnPreProcessor(7, 7, 256))
                .build();
    }

    private static Deconvolution2D deconvolution(int nIn, int nOut, int stride, Activation activation) {
        return new Deconvolution2D.Builder().nIn(nIn).nOut(nOut).kernelSize(5, 5).stride(stride, stride)
                .convolutionMode(ConvolutionMode.Same).hasBias(activation == Activation.TANH)
                .activation(activation).build();
    }

    static MultiLayerConfiguration discriminatorConfiguration(long seed, double learningRate) {
        double retain = 1.0 - 0.3;
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .weightInit(new NormalDistribution(0, 0.02))
                .list()
                .layer(new ConvolutionLayer.Builder().nIn(1).nOut(64).kernelSize(5, 5).stride(2, 2)
                        .convolutionMode(ConvolutionMode.Same).activation(new ActivationLReLU(0.2)).build())
                .layer(new ConvolutionLayer.Builder().nIn(64).nOut(128).kernelSize(5, 5).stride(2, 2)
                        .convolutionMode(ConvolutionMode.Same).activation(new ActivationLReLU(0.2))
                        .dropOut(retain).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nOut(1)
                        .activation(Activation.SIGMOID).dropOut(retain).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build();
    }

    /** Generator layers then discriminator layers; the latter never learn here. */
    private static MultiLayerNetwork stack(MultiLayerNetwork generator, MultiLayerNetwork discriminator, long seed,
            double learningRate) {
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

    private static void copyDiscriminatorInto(MultiLayerNetwork stacked, MultiLayerNetwork discriminator) {
        for (int i = 0; i < discriminator.getnLayers(); i++) {
            copyParams(discriminator.getLayer(i), stacked.getLayer(GENERATOR_LAYERS + i));
        }
    }

    private static void copyGeneratorOut(MultiLayerNetwork stacked, MultiLayerNetwork generator) {
        for (int i = 0; i < GENERATOR_LAYERS; i++) {
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
