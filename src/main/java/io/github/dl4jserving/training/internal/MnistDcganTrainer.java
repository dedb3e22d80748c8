package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.datasets.DataDirectory;
import io.github.dl4jserving.datasets.DatasetFile;
import io.github.dl4jserving.datasets.MnistIdxReader;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelKind;
import io.github.dl4jserving.training.Hyperparameter;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

        MultiLayerNetwork discriminator =
                new MultiLayerNetwork(DcganNetworks.discriminatorConfiguration(seed, learningRate));
        discriminator.init();
        MultiLayerNetwork generator = new MultiLayerNetwork(DcganNetworks.generatorConfiguration(seed, learningRate));
        generator.init();
        MultiLayerNetwork stacked = DcganNetworks.stack(generator, discriminator, seed, learningRate);

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
                INDArray fake = stacked.feedForwardToLayer(
                                DcganNetworks.GENERATOR_LAYERS - 1, Nd4j.randn(DataType.FLOAT, batchSize, LATENT), true)
                        .get(DcganNetworks.GENERATOR_LAYERS);
                INDArray labels =
                        Nd4j.vstack(Nd4j.ones(DataType.FLOAT, batchSize, 1), Nd4j.zeros(DataType.FLOAT, batchSize, 1));
                discriminator.fit(new DataSet(Nd4j.concat(0, real, fake), labels));
                dLoss = discriminator.score();
                DcganNetworks.copyDiscriminatorInto(stacked, discriminator);

                stacked.fit(new DataSet(
                        Nd4j.randn(DataType.FLOAT, batchSize, LATENT), Nd4j.ones(DataType.FLOAT, batchSize, 1)));
                gLoss = stacked.score();
                dSum += dLoss;
                gSum += gLoss;
                batches++;
                iteration++;
                imagesSeen += batchSize;
                double fraction = Math.max(
                        iteration / (double) (iterationsPerEpoch * epochs),
                        (System.nanoTime() - start) / (double) budget.toNanos());
                progress.iteration(epoch, iteration, gLoss, Math.min(1.0, fraction));
                if (iteration % 50 == 0) {
                    log.info(
                            "mnist-dcgan epoch {} iteration {}: D loss {} G loss {} ({} s)",
                            epoch,
                            iteration,
                            dLoss,
                            gLoss,
                            (System.nanoTime() - start) / 1_000_000_000L);
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
        DcganNetworks.copyGeneratorOut(stacked, generator);
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
        ModelDescriptor descriptor = new ModelDescriptor(
                modelName(),
                0,
                ModelKind.IMAGE_GENERATOR,
                Instant.now(),
                "DCGAN generator: z in R^100 (standard normal) to a 28x28 MNIST-like digit",
                ModelDescriptor.InputSchema.latent(LATENT),
                List.of(),
                metrics,
                null);
        return new TrainedModel(
                generator,
                null,
                descriptor,
                new TrainedModel.Fit(
                        "mnist",
                        MnistSamples.sha256(data, List.of(DatasetFile.MNIST_TRAIN_IMAGES)),
                        hyper,
                        seed,
                        epochsDone,
                        imagesSeen,
                        String.format(
                                "Trained %.1f minutes on 2 CPU cores: %d iterations, %d images seen "
                                        + "(%d full epochs).",
                                seconds / 60, iteration, imagesSeen, epochsDone)));
    }

    /**
     * The discriminator's mean output on 1,000 held-out test images and on 1,000 generated ones: a
     * generator that fools it pulls the second towards the first.
     */
    private static Map<String, Double> heldOutMetrics(
            MultiLayerNetwork generator, MultiLayerNetwork discriminator, MnistIdxReader.IdxImages test, long seed) {
        int n = 1000;
        int[] idx = IntStream.range(0, n).toArray();
        double real = discriminator
                .output(realBatch(test, idx, 0, n), false)
                .meanNumber()
                .doubleValue();
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
}
