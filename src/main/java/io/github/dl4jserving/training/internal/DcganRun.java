package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.datasets.MnistIdxReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three networks of one DCGAN run kept in step: the generator, the discriminator, and the two
 * stacked, whose discriminator half is refreshed from the discriminator after each of its updates.
 * Started new or restored from a checkpoint with ND4J's random state exactly as the uninterrupted
 * run would have it, so that a resumed run ends with the same weights.
 */
final class DcganRun {
    private static final Logger log = LoggerFactory.getLogger(DcganRun.class);
    static final int LATENT = MnistDcganTrainer.LATENT;
    private static final String DISCRIMINATOR = "discriminator.zip";
    private static final String STACKED = "stacked.zip";
    private static final String GENERATOR_MOMENTS = "generator-adam-bf16.bin";
    private static final String AVERAGE = "generator-average.bin";
    private static final String OFFSET = "generator-minus-average-bf16.bin";

    private final MultiLayerNetwork generator;
    private final MultiLayerNetwork discriminator;
    private final MultiLayerNetwork stacked;
    private final GeneratorAverage average;
    private final INDArray realLabels;
    private final INDArray labels;

    private DcganRun(
            MultiLayerNetwork generator,
            MultiLayerNetwork discriminator,
            MultiLayerNetwork stacked,
            GeneratorAverage average,
            int batchSize) {
        this.generator = generator;
        this.discriminator = discriminator;
        this.stacked = stacked;
        this.average = average;
        this.realLabels = Nd4j.ones(DataType.FLOAT, batchSize, 1);
        this.labels = Nd4j.vstack(realLabels, Nd4j.zeros(DataType.FLOAT, batchSize, 1));
    }

    /** A new run: the networks initialised from {@code seed}. */
    static DcganRun start(long seed, double learningRate, int batchSize, DcganNetworks.Upsampling upsampling) {
        MultiLayerNetwork generator = generator(seed, learningRate, upsampling);
        MultiLayerNetwork discriminator =
                new MultiLayerNetwork(DcganNetworks.discriminatorConfiguration(seed, learningRate));
        discriminator.init();
        MultiLayerNetwork stacked = DcganNetworks.stack(generator, discriminator, seed, learningRate);
        Nd4j.getRandom().setSeed(seed);
        return new DcganRun(
                generator, discriminator, stacked, GeneratorAverage.empty(generator.numParams()), batchSize);
    }

    /**
     * The run saved in checkpoint {@code from}, with ND4J's random state as {@code state} recorded it.
     * A checkpoint shipped with a version ({@link #saveForVersion}) has no stacked network: it is
     * built again from the version's generator, the discriminator and the generator's Adam moments.
     * The generator's average goes on where it was, or starts here in a run that did not average.
     */
    static DcganRun resume(Path from, GanState state, double learningRate, int batchSize) throws IOException {
        MultiLayerNetwork generator = generator(state.seed(), learningRate, state.upsampling());
        MultiLayerNetwork discriminator = ModelSerializer.restoreMultiLayerNetwork(
                from.resolve(DISCRIMINATOR).toFile(), true);
        long averaged = state.iteration() - state.averagingSince();
        MultiLayerNetwork stacked;
        GeneratorAverage average;
        if (Files.exists(from.resolve(STACKED))) {
            stacked = ModelSerializer.restoreMultiLayerNetwork(
                    from.resolve(STACKED).toFile(), true);
            average = averaged == 0
                    ? GeneratorAverage.empty(generator.numParams())
                    : GeneratorAverage.read(from.resolve(AVERAGE), averaged, generator.numParams());
        } else {
            INDArray shipped = shippedWeights(from);
            average = averaged == 0
                    ? GeneratorAverage.empty(generator.numParams())
                    : GeneratorAverage.ofAveraged(shipped, averaged);
            generator.setParams(
                    averaged == 0 ? shipped : shipped.add(ArrayFiles.readFloatsLike(from.resolve(OFFSET), shipped)));
            stacked = fromVersion(from, generator, discriminator, state, learningRate);
        }
        // the rate may have changed since the checkpoint (GanState.withSettings); Adam's moments stay
        DcganNetworks.setLearningRate(discriminator, discriminator.getnLayers(), learningRate);
        DcganNetworks.setLearningRate(stacked, generator.getnLayers(), learningRate);
        // Last: building and restoring networks reseeds ND4J's generator.
        Nd4j.getRandom().setStates(state.randomRoot(), state.randomNode());
        return new DcganRun(generator, discriminator, stacked, average, batchSize);
    }

    /** The generator's own network, which the stacked one is trained in place of; seeded as a new run's. */
    private static MultiLayerNetwork generator(long seed, double learningRate, DcganNetworks.Upsampling upsampling) {
        Nd4j.getRandom().setSeed(seed);
        MultiLayerNetwork generator =
                new MultiLayerNetwork(DcganNetworks.generatorConfiguration(seed, learningRate, upsampling));
        generator.init();
        return generator;
    }

    /**
     * One iteration on a batch of {@code real} images: the discriminator on them and as many
     * generated ones, then the generator through the stacked network, from the {@code keep} of a
     * fresh batch of its digits that the discriminator rates most real in that very pass, dropout
     * and all (top-k training, Sinha et al. 2020: the others' gradients pull towards what the
     * discriminator rejects). Returns the two losses; the generator's is the mean over the digits kept.
     */
    double[] step(INDArray real, int keep) {
        int batchSize = (int) real.size(0);
        int layers = generator.getnLayers();
        INDArray fake = stacked.feedForwardToLayer(layers - 1, Nd4j.randn(DataType.FLOAT, batchSize, LATENT), true)
                .get(layers);
        discriminator.fit(new DataSet(Nd4j.concat(0, real, fake), labels));
        double dLoss = discriminator.score();
        DcganNetworks.copyDiscriminatorInto(stacked, discriminator);

        INDArray z = Nd4j.randn(DataType.FLOAT, batchSize, LATENT);
        DataSet generatorStep = new DataSet(z, realLabels);
        if (keep < batchSize) {
            long root = Nd4j.getRandom().rootState();
            long node = Nd4j.getRandom().nodeState();
            INDArray rated = stacked.output(z, true);
            Nd4j.getRandom().setStates(root, node); // the fit's forward pass draws the same dropout
            generatorStep.setLabelsMaskArray(strongest(rated, keep));
        }
        stacked.fit(generatorStep);
        average.update(trainedGeneratorWeights());
        return new double[] {dLoss, stacked.score() * batchSize / keep};
    }

    /**
     * A per-example loss mask ({@code [n, 1]}, 1 or 0) that keeps the {@code keep} highest of
     * {@code scores}. DL4J still divides the loss by n: the kept digits' mean is n / keep times it.
     */
    static INDArray strongest(INDArray scores, int keep) {
        double[] s = scores.toDoubleVector();
        int[] byScore = IntStream.range(0, s.length)
                .boxed()
                .sorted((a, b) -> Double.compare(s[b], s[a]))
                .mapToInt(Integer::intValue)
                .toArray();
        float[] mask = new float[s.length];
        for (int i = 0; i < keep; i++) {
            mask[byScore[i]] = 1;
        }
        return Nd4j.create(mask, new long[] {s.length, 1}, DataType.FLOAT);
    }

    /** The rate both networks learn at; only for a test that a resumed run changed it. */
    double learningRate() {
        double d = discriminator.getLearningRate(0);
        double g = stacked.getLearningRate(0);
        if (d != g) {
            throw new IllegalStateException("The discriminator learns at " + d + ", the generator at " + g + ".");
        }
        return d;
    }

    /** The generator's weights in the stacked network, which come first in its flat vector. */
    private INDArray trainedGeneratorWeights() {
        INDArray all = stacked.params();
        return all.reshape(all.length()).get(NDArrayIndex.interval(0, generator.numParams()));
    }

    /** The generator's digits for latent vectors {@code z}, with the weights served: the average so far. */
    INDArray generate(INDArray z) {
        averagedIntoGenerator();
        return generator.output(z, false);
    }

    /** The digits of the generator as trained, not averaged: what averaging gains is the difference. */
    INDArray generateUnaveraged(INDArray z) {
        DcganNetworks.copyGeneratorOut(stacked, generator);
        return generator.output(z, false);
    }

    private void averagedIntoGenerator() {
        if (average.steps() == 0) {
            DcganNetworks.copyGeneratorOut(stacked, generator);
        } else {
            generator.setParams(average.weights());
        }
    }

    /** The generator of the version whose {@code model.zip} is two levels up from its checkpoint {@code from}. */
    private static INDArray shippedWeights(Path from) throws IOException {
        Path modelZip = from.getParent().getParent().resolve("model.zip");
        MultiLayerNetwork shipped = ModelSerializer.restoreMultiLayerNetwork(modelZip.toFile(), false);
        INDArray weights = shipped.params().dup();
        shipped.close();
        return weights;
    }

    /**
     * The stacked network of a checkpoint shipped with a version, around {@code generator} (the
     * version's weights as trained): Adam's moments come back from bfloat16 and its step count from
     * {@code state}, so that its bias correction goes on where it was.
     */
    private static MultiLayerNetwork fromVersion(
            Path from,
            MultiLayerNetwork generator,
            MultiLayerNetwork discriminator,
            GanState state,
            double learningRate)
            throws IOException {
        MultiLayerNetwork stacked = DcganNetworks.stack(generator, discriminator, state.seed(), learningRate);
        INDArray view = stacked.getUpdater().getStateViewArray();
        view.assign(ArrayFiles.readFloatsLike(from.resolve(GENERATOR_MOMENTS), view));
        // as a checkpoint's stacked network has it: one fit per iteration, no epochs counted
        stacked.getLayerWiseConfigurations().setIterationCount((int) state.iteration());
        return stacked;
    }

    /**
     * What a later sitting needs beside the shipped generator (the average), as a checkpoint in
     * {@code checkpoints}: the discriminator with its Adam state, the generator's Adam moments and
     * its trained weights' offset from the average, both in bfloat16 (half the bytes; the offset is
     * small, so its rounding is too), and {@code state}. 17 MB for this DCGAN, against 37 MB for a
     * full checkpoint.
     */
    void saveForVersion(Checkpoints checkpoints, GanState state) throws IOException {
        GanState saved =
                state.withRandom(Nd4j.getRandom().rootState(), Nd4j.getRandom().nodeState());
        checkpoints.save(state.iteration(), tmp -> {
            ModelSerializer.writeModel(discriminator, tmp.resolve(DISCRIMINATOR).toFile(), true);
            ArrayFiles.writeBfloat16(stacked.getUpdater().getStateViewArray(), tmp.resolve(GENERATOR_MOMENTS));
            if (average.steps() > 0) {
                ArrayFiles.writeBfloat16(
                        trainedGeneratorWeights()
                                .reshape(1, generator.numParams())
                                .sub(average.weights()),
                        tmp.resolve(OFFSET));
            }
            saved.write(tmp);
        });
    }

    /** Saves the networks with their updater state and {@code state} as a checkpoint; returns its directory. */
    Path save(Checkpoints checkpoints, GanState state) throws IOException {
        GanState saved =
                state.withRandom(Nd4j.getRandom().rootState(), Nd4j.getRandom().nodeState());
        Path dir = checkpoints.save(state.iteration(), tmp -> {
            ModelSerializer.writeModel(discriminator, tmp.resolve(DISCRIMINATOR).toFile(), true);
            ModelSerializer.writeModel(stacked, tmp.resolve(STACKED).toFile(), true);
            if (average.steps() > 0) {
                average.write(tmp.resolve(AVERAGE));
            }
            saved.write(tmp);
        });
        log.info("mnist-dcgan checkpoint {} (epoch {}, iteration {})", dir, state.epoch(), state.iteration());
        return dir;
    }

    /**
     * The discriminator's mean output on held-out test images and on as many generated ones (those
     * the judge scored): a generator that fools it pulls the second towards the first.
     */
    Map<String, Double> heldOutMetrics(MnistIdxReader.IdxImages test, INDArray fake) {
        int n = (int) fake.size(0);
        int[] idx = IntStream.range(0, n).toArray();
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(
                "discriminator_mean_on_test_images",
                mean(discriminator.output(DcganInputs.realBatch(test, idx, 0, n), false)));
        m.put("discriminator_mean_on_generated", mean(discriminator.output(fake, false)));
        return m;
    }

    private static double mean(INDArray a) {
        return a.meanNumber().doubleValue();
    }

    /** The generator served (the average), the stacked network released; the run is over. */
    MultiLayerNetwork finish() {
        averagedIntoGenerator();
        stacked.close();
        return generator;
    }

    /** Releases the discriminator, after {@link #finish} and the held-out metrics. */
    void close() {
        discriminator.close();
    }
}
