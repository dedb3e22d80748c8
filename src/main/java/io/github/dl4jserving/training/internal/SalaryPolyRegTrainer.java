package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.datasets.CsvTable;
import io.github.dl4jserving.datasets.DataDirectory;
import io.github.dl4jserving.datasets.DatasetFile;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelKind;
import io.github.dl4jserving.training.Hyperparameter;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.FixedSchedule;

/**
 * Polynomial regression of salary on position level over the 10-row teaching table: the level's
 * powers 1 to {@code degree} (4 by default), standardized, into one linear unit with MSE loss.
 * The targets are standardized too (the normalizer is fitted with labels and stored in the zip),
 * and serving reverts the output to salary units. Ten rows leave nothing to hold out: the recorded
 * metrics are on the training rows, and say so in their names.
 */
public class SalaryPolyRegTrainer implements Trainer {

    @Override
    public String modelName() {
        return "salary-polyreg";
    }

    @Override
    public ModelKind kind() {
        return ModelKind.TABULAR_REGRESSOR;
    }

    @Override
    public String description() {
        return "Salary by position level (1-10): polynomial regression, MSE on standardized powers of the level";
    }

    @Override
    public List<String> datasets() {
        return List.of("salary");
    }

    @Override
    public List<Hyperparameter> hyperparameters() {
        return List.of(
                Hyperparameter.integer("epochs", 20_000, 1, 200_000, "full-batch passes over the 10 rows"),
                Hyperparameter.number("learningRate", 0.1, 1e-6, 10, "learning rate"),
                Optimizers.hyperparameter("adam"),
                Hyperparameter.integer("seed", 42, 0, Integer.MAX_VALUE, "weight init"),
                Hyperparameter.integer("degree", 4, 1, 8, "highest power of the level"),
                Hyperparameter.number("l2", 0, 0, 1, "L2 weight decay"));
    }

    @Override
    public PrimaryMetric primaryMetric() {
        return new PrimaryMetric("training_mse", false);
    }

    @Override
    public TrainedModel train(TrainingData input, TrainingOptions options, TrainingProgress progress)
            throws IOException {
        DataDirectory data = input.directory();
        int epochs = options.epochs();
        double learningRate = options.learningRate();
        String optimizer = options.optimizer();
        long seed = options.seed();
        int degree = options.degree();
        double l2 = options.l2();

        CsvTable table = CsvTable.parse(Files.readAllBytes(data.resolve(DatasetFile.SALARY)), 10_000, 100);
        double[] level = table.numericColumn("Level");
        double[] salary = table.numericColumn("Salary");
        int n = level.length;
        float[] x = new float[n * degree];
        float[] y = new float[n];
        for (int r = 0; r < n; r++) {
            double power = 1;
            for (int d = 0; d < degree; d++) {
                power *= level[r];
                x[r * degree + d] = (float) power;
            }
            y[r] = (float) salary[r];
        }
        DataSet train = new DataSet(
                Nd4j.create(x, new long[] {n, degree}, DataType.FLOAT),
                Nd4j.create(y, new long[] {n, 1}, DataType.FLOAT));
        NormalizerStandardize normalizer = new NormalizerStandardize();
        normalizer.fitLabel(true);
        normalizer.fit(train);
        DataSet normalized = train.copy();
        normalizer.transform(normalized);

        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(Optimizers.updater(optimizer, new FixedSchedule(learningRate)))
                .weightInit(WeightInit.XAVIER)
                .l2(l2)
                .list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(degree)
                        .nOut(1)
                        .activation(Activation.IDENTITY)
                        .build())
                .build());
        net.init();
        // Full batch: an epoch is one iteration, and one in twenty is reported as an epoch.
        new FitLoop(epochs, 1)
                .run(
                        net,
                        progress,
                        epoch -> {},
                        b -> normalized,
                        (epoch, loss) -> epoch % Math.max(1, epochs / 20) == 0 || epoch == epochs
                                ? Map.of("mse_standardized", loss)
                                : null);

        Map<String, Double> metrics = new LinkedHashMap<>();
        try (INDArray predicted = net.output(normalized.getFeatures(), false)) {
            normalizer.revertLabels(predicted);
            double sse = 0;
            double mean = 0;
            for (double s : salary) {
                mean += s / n;
            }
            double sst = 0;
            for (int r = 0; r < n; r++) {
                double err = predicted.getDouble(r, 0) - salary[r];
                sse += err * err;
                sst += (salary[r] - mean) * (salary[r] - mean);
            }
            metrics.put("training_mse", sse / n);
            metrics.put("training_rmse", Math.sqrt(sse / n));
            metrics.put("training_r2", 1 - sse / sst);
        }
        metrics.put("training_examples", (double) n);

        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("epochs", epochs);
        hyper.put("batchSize", n);
        hyper.put("learningRate", learningRate);
        hyper.put("optimizer", optimizer);
        hyper.put("degree", degree);
        hyper.put("l2", l2);
        ModelDescriptor descriptor = new ModelDescriptor(
                modelName(),
                0,
                ModelKind.TABULAR_REGRESSOR,
                Instant.now(),
                description(),
                ModelDescriptor.InputSchema.polynomial(
                        List.of(new ModelDescriptor.FeatureRange("level", 1, 10)), degree),
                List.of("salary"),
                metrics,
                null);
        return new TrainedModel(
                net,
                normalizer,
                descriptor,
                new TrainedModel.Fit(
                        "salary",
                        MnistSamples.sha256(data, List.of(DatasetFile.SALARY)),
                        hyper,
                        seed,
                        epochs,
                        n,
                        "Powers 1-" + degree + " of the level and the salary standardized with the 10 rows' mean and"
                                + " deviation (stored in the zip); metrics are on the training rows: there is no"
                                + " held-out data in a 10-row table."));
    }
}
