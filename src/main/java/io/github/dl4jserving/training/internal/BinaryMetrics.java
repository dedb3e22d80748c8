package io.github.dl4jserving.training.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** The held-out metrics of a binary classifier with one sigmoid output. */
final class BinaryMetrics {
    private BinaryMetrics() {}

    /** Accuracy, precision, recall and F1 for the positive (malignant) class, and ROC AUC. */
    static Map<String, Double> of(MultiLayerNetwork net, DataSet normalizedSet, double threshold) {
        INDArray p = net.output(normalizedSet.getFeatures(), false);
        INDArray y = normalizedSet.getLabels();
        int tp = 0;
        int fp = 0;
        int tn = 0;
        int fn = 0;
        int n = (int) p.size(0);
        double[] scores = new double[n];
        boolean[] positive = new boolean[n];
        for (int i = 0; i < n; i++) {
            scores[i] = p.getDouble(i, 0);
            positive[i] = y.getDouble(i, 0) > 0.5;
            boolean predicted = scores[i] >= threshold;
            if (predicted && positive[i]) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (positive[i]) {
                fn++;
            } else {
                tn++;
            }
        }
        double precision = tp + fp == 0 ? 0 : tp / (double) (tp + fp);
        double recall = tp + fn == 0 ? 0 : tp / (double) (tp + fn);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", (tp + tn) / (double) n);
        m.put("precision", precision);
        m.put("recall", recall);
        m.put("f1", precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
        m.put("roc_auc", auc(scores, positive));
        m.put("loss", net.score(normalizedSet, false));
        return m;
    }

    private static double auc(double[] scores, boolean[] positive) {
        long pairs = 0;
        double wins = 0;
        for (int i = 0; i < scores.length; i++) {
            for (int j = 0; j < scores.length; j++) {
                if (positive[i] && !positive[j]) {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }
        return pairs == 0 ? Double.NaN : wins / pairs;
    }
}
