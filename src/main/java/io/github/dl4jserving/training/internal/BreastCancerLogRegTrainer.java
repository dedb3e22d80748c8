package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.datasets.BreastCancerCsvReader;
import io.github.dl4jserving.datasets.DatasetFile;
import io.github.dl4jserving.datasets.DatasetInfo;
import io.github.dl4jserving.datasets.TabularSet;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelKind;
import io.github.dl4jserving.training.Hyperparameter;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.FixedSchedule;

/**
 * Logistic regression on the nine Breast Cancer Wisconsin features: one sigmoid unit with binary
 * cross-entropy on standardized inputs. The split is stratified 80/20 with a fixed seed. The 16
 * missing {@code bare_nuclei} values are replaced by the median of that feature over the training
 * split only, so nothing about the test rows leaks into training; the value used is recorded in
 * the descriptor. The standardizer is fitted on the training split and stored in the model zip.
 */
public class BreastCancerLogRegTrainer implements Trainer {
    static final double THRESHOLD = 0.5;

    @Override
    public String modelName() {
        return "breast-cancer-logreg";
    }

    @Override
    public ModelKind kind() {
        return ModelKind.TABULAR_CLASSIFIER;
    }

    @Override
    public String description() {
        return "Breast Cancer Wisconsin (Original) logistic regression; probability is P(malignant)";
    }

    @Override
    public List<String> datasets() {
        return List.of("breast-cancer-wisconsin");
    }

    @Override
    public List<Hyperparameter> hyperparameters() {
        return List.of(
                Hyperparameter.integer("epochs", 200, 1, 10_000, "passes over the 559 training rows"),
                Hyperparameter.integer("batchSize", 32, 1, 559, "rows per iteration"),
                Hyperparameter.number("learningRate", 0.01, 1e-6, 10, "learning rate"),
                Optimizers.hyperparameter("adam"),
                // The split decides much of the score on 140 test rows: seeds 1 to 7 give 96.4% to 98.6%
                // (mean 97.5%), seed 42 gives 95.7%. Seed 1 is the first of those, not the best.
                Hyperparameter.integer("seed", 1, 0, Integer.MAX_VALUE, "stratified 80/20 split, init, shuffling"),
                Hyperparameter.number("l2", 1e-4, 0, 1, "L2 weight decay"));
    }

    @Override
    public PrimaryMetric primaryMetric() {
        return new PrimaryMetric("test_accuracy", true);
    }

    @Override
    public List<String> uploadKinds() {
        return List.of(DatasetInfo.TABULAR_CSV);
    }

    @Override
    public TrainedModel train(TrainingData data, TrainingOptions options, TrainingProgress progress)
            throws IOException {
        int epochs = options.epochs();
        int batchSize = options.batchSize();
        double learningRate = options.learningRate();
        long seed = options.seed();
        double l2 = options.l2();
        String optimizer = options.optimizer();

        TabularSet table = data.uploaded() ? data.uploads().tabular(data.dataset()) : breastCancer(data);
        int width = table.features().size();
        StratifiedSplit split = StratifiedSplit.of(table.classes(), 0.8, seed);
        // Missing values (only bare_nuclei has them, 16 rows) get the training split's median, so
        // nothing about the test rows leaks into training.
        double[] medians = new double[width];
        Map<String, Double> imputed = new LinkedHashMap<>();
        for (int f = 0; f < width; f++) {
            medians[f] = StratifiedSplit.median(table.rows(), split.train(), f);
            final int feature = f;
            if (Arrays.stream(table.rows()).anyMatch(r -> Double.isNaN(r[feature]))) {
                imputed.put("imputed_" + table.features().get(f), medians[f]);
            }
        }
        DataSet train = toDataSet(table, split.train(), medians);
        DataSet test = toDataSet(table, split.test(), medians);
        NormalizerStandardize normalizer = new NormalizerStandardize();
        normalizer.fit(train);
        normalizer.transform(train);
        normalizer.transform(test);

        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(Optimizers.updater(optimizer, new FixedSchedule(learningRate)))
                .weightInit(WeightInit.XAVIER)
                .l2(l2)
                .list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT)
                        .nIn(width)
                        .nOut(1)
                        .activation(Activation.SIGMOID)
                        .build())
                .build());
        net.init();
        List<DataSet> examples = train.asList();
        Random shuffle = new Random(seed + 1);
        FitLoop.of(epochs, examples.size(), batchSize)
                .run(
                        net,
                        progress,
                        epoch -> Collections.shuffle(examples, shuffle),
                        b -> DataSet.merge(
                                examples.subList(b * batchSize, Math.min(examples.size(), (b + 1) * batchSize))),
                        (epoch, loss) -> BinaryMetrics.of(net, test, THRESHOLD));
        Map<String, Double> metrics = new LinkedHashMap<>();
        BinaryMetrics.of(net, test, THRESHOLD).forEach((k, v) -> metrics.put("test_" + k, v));
        metrics.put("threshold", THRESHOLD);
        metrics.put("test_examples", (double) split.test().length);
        metrics.putAll(imputed);

        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("epochs", epochs);
        hyper.put("batchSize", batchSize);
        hyper.put("learningRate", learningRate);
        hyper.put("optimizer", optimizer);
        hyper.put("l2", l2);
        hyper.put("split", "stratified 80/20");
        String notes =
                (imputed.isEmpty() ? "" : "Missing values imputed with the training-split median " + imputed + "; ")
                        + "features standardized with the training split's mean and deviation.";
        ModelDescriptor descriptor;
        TrainedModel.Fit fit;
        if (data.uploaded()) {
            descriptor = new ModelDescriptor(
                    modelName(),
                    0,
                    ModelKind.TABULAR_CLASSIFIER,
                    Instant.now(),
                    "Logistic regression on uploaded data set " + data.dataset() + "; probability is P("
                            + table.labels().get(1) + ")",
                    ModelDescriptor.InputSchema.features(ranges(table)),
                    table.labels(),
                    metrics,
                    null);
            fit = new TrainedModel.Fit(
                    data.dataset(),
                    Map.of("upload", data.upload().sha256()),
                    hyper,
                    seed,
                    epochs,
                    split.train().length,
                    notes + " Valid feature ranges are the observed ones widened by their width" + " on each side.");
        } else {
            descriptor = new ModelDescriptor(
                    modelName(),
                    0,
                    ModelKind.TABULAR_CLASSIFIER,
                    Instant.now(),
                    description(),
                    ModelDescriptor.InputSchema.features(BreastCancerCsvReader.FEATURES.stream()
                            .map(f -> new ModelDescriptor.FeatureRange(f, 1, 10))
                            .toList()),
                    BreastCancerCsvReader.LABELS,
                    metrics,
                    null);
            fit = new TrainedModel.Fit(
                    "breast-cancer-wisconsin",
                    MnistSamples.sha256(data.directory(), List.of(DatasetFile.BREAST_CANCER)),
                    hyper,
                    seed,
                    epochs,
                    split.train().length,
                    notes);
        }
        return new TrainedModel(net, normalizer, descriptor, fit);
    }

    /** The Breast Cancer Wisconsin table as a binary table; malignant is the positive class. */
    static TabularSet breastCancer(TrainingData data) throws IOException {
        List<BreastCancerCsvReader.Row> rows = BreastCancerCsvReader.read(data.directory());
        return new TabularSet(
                BreastCancerCsvReader.FEATURES,
                rows.stream().map(BreastCancerCsvReader.Row::features).toArray(double[][]::new),
                rows.stream().mapToInt(r -> r.malignant() ? 1 : 0).toArray(),
                BreastCancerCsvReader.LABELS);
    }

    /** Each feature's observed range, widened by its width on both sides (at least 1). */
    private static List<ModelDescriptor.FeatureRange> ranges(TabularSet table) {
        List<ModelDescriptor.FeatureRange> out = new ArrayList<>();
        for (int f = 0; f < table.features().size(); f++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double[] r : table.rows()) {
                min = Math.min(min, r[f]);
                max = Math.max(max, r[f]);
            }
            double span = Math.max(1, max - min);
            out.add(new ModelDescriptor.FeatureRange(table.features().get(f), min - span, max + span));
        }
        return out;
    }

    private static DataSet toDataSet(TabularSet table, int[] idx, double[] impute) {
        int width = table.features().size();
        float[] x = new float[idx.length * width];
        float[] y = new float[idx.length];
        for (int r = 0; r < idx.length; r++) {
            double[] f = table.rows()[idx[r]];
            for (int c = 0; c < width; c++) {
                x[r * width + c] = (float) (Double.isNaN(f[c]) ? impute[c] : f[c]);
            }
            y[r] = table.classes()[idx[r]];
        }
        return new DataSet(
                Nd4j.create(x, new long[] {idx.length, width}, DataType.FLOAT),
                Nd4j.create(y, new long[] {idx.length, 1}, DataType.FLOAT));
    }
}
