package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.datasets.DatasetInfo;
import io.github.dl4jserving.datasets.DigitImages;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelKind;
import io.github.dl4jserving.training.Hyperparameter;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
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
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dense MNIST classifiers with softmax and cross-entropy: the multilayer perceptron and, with no
 * hidden layers, softmax regression. They train on the MNIST images after the same preparation
 * that requests get ({@link DigitImages}), so what they see in training is what they
 * see in service; 5,000 training images are held out for per-epoch validation and the 10,000 test
 * images are scored once at the end. The learning rate halves every 1,300 iterations.
 */
abstract class MnistClassifierTrainer implements Trainer {
    private static final Logger log = LoggerFactory.getLogger(MnistClassifierTrainer.class);
    static final int VALIDATION_SIZE = 5_000;
    static final int TRAINING_SIZE = 55_000;
    static final int LR_HALVING_ITERATIONS = 1300;

    private final List<Integer> hidden;
    private final int defaultEpochs;
    private final double defaultDropout;

    MnistClassifierTrainer(List<Integer> hidden, int defaultEpochs, double defaultDropout) {
        this.hidden = List.copyOf(hidden);
        this.defaultEpochs = defaultEpochs;
        this.defaultDropout = defaultDropout;
    }

    @Override
    public ModelKind kind() {
        return ModelKind.IMAGE_CLASSIFIER;
    }

    @Override
    public List<String> datasets() {
        return List.of("mnist");
    }

    @Override
    public List<String> uploadKinds() {
        return List.of(DatasetInfo.IMAGE_IDX, DatasetInfo.IMAGE_FOLDER);
    }

    @Override
    public PrimaryMetric primaryMetric() {
        return new PrimaryMetric("test_accuracy", true);
    }

    @Override
    public List<Hyperparameter> hyperparameters() {
        List<Hyperparameter> h = new ArrayList<>(
                List.of(
                        Hyperparameter.integer("epochs", defaultEpochs, 1, 200, "passes over the training images"),
                        Hyperparameter.integer("batchSize", 128, 1, 4096, "images per iteration"),
                        Hyperparameter.number(
                                "learningRate",
                                1e-3,
                                1e-6,
                                10,
                                "initial rate; halved every " + LR_HALVING_ITERATIONS + " iterations"),
                        Optimizers.hyperparameter("adam"),
                        Hyperparameter.integer(
                                "seed", 42, 0, Integer.MAX_VALUE, "weight init, validation split, shuffling"),
                        Hyperparameter.number("l2", 1e-5, 0, 1, "L2 weight decay"),
                        Hyperparameter.integer(
                                "examples",
                                TRAINING_SIZE,
                                10,
                                TRAINING_SIZE,
                                "train on N of the 55,000 training images (quick jobs; validation then uses N/5, at least 100)")));
        if (!hidden.isEmpty()) {
            h.add(Hyperparameter.number("dropout", defaultDropout, 0, 0.9, "probability of dropping a hidden unit"));
        }
        return h;
    }

    @Override
    public TrainedModel train(TrainingData data, TrainingOptions options, TrainingProgress progress)
            throws IOException {
        int epochs = options.epochs();
        int batchSize = options.batchSize();
        double learningRate = options.learningRate();
        String optimizer = options.optimizer();
        long seed = options.seed();
        double l2 = options.l2();
        double dropout = hidden.isEmpty() ? 0 : options.dropout();
        long start = System.nanoTime();

        ClassifierImages images = data.uploaded()
                ? ClassifierImages.uploaded(data, seed, options)
                : ClassifierImages.mnist(data, seed, options);
        int[] trainIdx = images.trainIdx();
        int[] validationIdx = images.validationIdx();
        float[][] trainImages = images.trainImages();
        log.info(
                "{}: {} training and {} validation images prepared in {} s",
                modelName(),
                trainIdx.length,
                validationIdx.length,
                (System.nanoTime() - start) / 1e9);

        MultiLayerNetwork net = new MultiLayerNetwork(configuration(
                seed, learningRate, optimizer, l2, dropout, images.labels().size()));
        net.init();
        DataSet validation = MnistSamples.batch(
                trainImages,
                images.trainLabels(),
                validationIdx,
                0,
                validationIdx.length,
                images.labels().size());
        Random shuffle = new Random(seed + 1);
        MnistSamples.Batches batches = new MnistSamples.Batches(
                trainImages, images.trainLabels(), images.labels().size());
        FitLoop.of(epochs, trainIdx.length, batchSize)
                .run(
                        net,
                        progress,
                        epoch -> MnistSamples.shuffleInPlace(trainIdx, shuffle),
                        b -> batches.batch(trainIdx, b * batchSize, Math.min(trainIdx.length, (b + 1) * batchSize)),
                        (epoch, loss) -> {
                            Map<String, Double> val =
                                    evaluate(net, validation, images.labels().size());
                            log.info("{} epoch {}/{}: loss {} validation {}", modelName(), epoch, epochs, loss, val);
                            return val;
                        });

        float[][] testImages = images.testImages();
        DataSet testSet = MnistSamples.batch(
                testImages,
                images.testLabels(),
                IntStream.range(0, testImages.length).toArray(),
                0,
                testImages.length,
                images.labels().size());
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, Double> testMetrics = evaluate(net, testSet, images.labels().size());
        metrics.put("test_accuracy", testMetrics.get("accuracy"));
        metrics.put("test_loss", testMetrics.get("loss"));
        metrics.put("test_macro_f1", testMetrics.get("macro_f1"));
        metrics.put("test_examples", (double) testImages.length);

        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("epochs", epochs);
        hyper.put("batchSize", batchSize);
        hyper.put("learningRate", learningRate);
        hyper.put("optimizer", optimizer);
        hyper.put("learningRateSchedule", "halved every " + LR_HALVING_ITERATIONS + " iterations");
        hyper.put("l2", l2);
        if (!hidden.isEmpty()) {
            hyper.put("dropout", dropout);
            hyper.put("hiddenLayers", hidden);
            hyper.put("activation", "relu");
        }
        ModelDescriptor descriptor = new ModelDescriptor(
                modelName(),
                0,
                ModelKind.IMAGE_CLASSIFIER,
                Instant.now(),
                description(),
                ModelDescriptor.InputSchema.image(new ModelDescriptor.ImageInput(
                        28, 28, 1, 0, 1, "white ink on black, 20x20 box centred by mass")),
                images.labels(),
                metrics,
                null);
        return new TrainedModel(
                net,
                null,
                descriptor,
                new TrainedModel.Fit(
                        data.dataset(), images.sha256(), hyper, seed, epochs, trainIdx.length, images.notes()));
    }

    MultiLayerConfiguration configuration(
            long seed, double learningRate, String optimizer, double l2, double dropout, int classes) {
        double retain = 1.0 - dropout;
        var list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(Optimizers.updater(
                        optimizer, new StepSchedule(ScheduleType.ITERATION, learningRate, 0.5, LR_HALVING_ITERATIONS)))
                .weightInit(WeightInit.RELU)
                .regularization(FastL2.of(l2))
                .list();
        int in = 784;
        for (int i = 0; i < hidden.size(); i++) {
            DenseLayer.Builder layer =
                    new DenseLayer.Builder().nIn(in).nOut(hidden.get(i)).activation(Activation.RELU);
            if (i > 0 && dropout > 0) {
                layer.dropOut(retain);
            }
            list.layer(layer.build());
            in = hidden.get(i);
        }
        OutputLayer.Builder out = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(in)
                .nOut(classes)
                .activation(Activation.SOFTMAX)
                .weightInit(WeightInit.XAVIER);
        if (!hidden.isEmpty() && dropout > 0) {
            out.dropOut(retain);
        }
        return list.layer(out.build()).build();
    }

    /** Accuracy, macro F1 and mean cross-entropy of {@code net} on {@code set}. */
    static Map<String, Double> evaluate(MultiLayerNetwork net, DataSet set, int classes) {
        Map<String, Double> m = new LinkedHashMap<>();
        try (INDArray output = net.output(set.getFeatures(), false)) {
            Evaluation eval = new Evaluation(classes);
            eval.eval(set.getLabels(), output);
            m.put("accuracy", eval.accuracy());
            m.put("macro_f1", eval.f1());
        }
        m.put("loss", net.score(set, false));
        return m;
    }
}
