package io.github.dl4jserving.inference;

import io.github.dl4jserving.inference.internal.TabularRows;
import io.github.dl4jserving.inference.internal.VersionQueues;
import io.github.dl4jserving.registry.LoadedModel;
import io.github.dl4jserving.registry.ModelDescriptor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Table rows, from JSON values or CSV text, through a tabular classifier or regressor. */
final class TabularAnswers {
    private final VersionQueues queues;
    private final int maxBatch;

    TabularAnswers(VersionQueues queues, int maxBatch) {
        this.queues = queues;
        this.maxBatch = maxBatch;
    }

    /** Rows given as JSON values (objects of feature name to number, or ordered arrays); {@code fields} name them. */
    List<double[]> fromJson(LoadedModel m, List<?> rows, List<String> fields) {
        Batches.check(rows.size(), "row", maxBatch);
        List<ModelDescriptor.FeatureRange> schema = m.descriptor().input().features();
        List<double[]> parsed = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            parsed.add(TabularRows.fromJson(rows.get(i), schema, fields.get(i)));
        }
        return parsed;
    }

    /** The rows of a CSV text whose header names the features. */
    List<double[]> fromCsv(LoadedModel m, String csv) {
        return TabularRows.fromCsv(csv, m.descriptor().input().features(), maxBatch);
    }

    /** {@code rows} come from {@link #fromJson} or {@link #fromCsv}, which hold them to 1 to max-batch rows. */
    Answers.TabularClassification classify(LoadedModel m, List<double[]> rows, double threshold) {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new InvalidInputException("threshold", "threshold must be from 0 to 1, not " + threshold + ".");
        }
        float[][] out = run(m, rows);
        List<String> labels = m.descriptor().labels();
        List<Answers.TabularPrediction> predictions = Arrays.stream(out)
                .map(p -> new Answers.TabularPrediction(
                        p[0] >= threshold ? labels.get(1) : labels.get(0), p[0], threshold))
                .toList();
        return new Answers.TabularClassification(m.name(), m.version(), predictions);
    }

    /** {@code rows} as for {@link #classify}. */
    Answers.Regression regress(LoadedModel m, List<double[]> rows) {
        float[][] out = run(m, rows);
        List<Double> values = Arrays.stream(out).map(p -> (double) p[0]).toList();
        return new Answers.Regression(m.name(), m.version(), values.size() == 1 ? values.get(0) : null, values);
    }

    private float[][] run(LoadedModel m, List<double[]> rows) {
        return queues.run(
                m, Batches.flatRows(rows, m.descriptor().input().features().size()), rows.size());
    }
}
