package io.github.dl4jserving.datasets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A numeric table for binary classification: one row of {@code features} per example and its
 * class, 0 for {@code labels.get(0)} and 1 for {@code labels.get(1)}.
 */
public record TabularSet(List<String> features, double[][] rows, int[] classes, List<String> labels) {

    /**
     * The table with the classes of column {@code target} (two distinct values) and every other
     * column but the {@code ignored} as a numeric feature.
     */
    static TabularSet of(CsvTable table, String target, List<String> ignored) {
        List<String> classes = table.column(target);
        List<String> features = table.header().stream()
                .filter(h -> !h.equals(target) && !ignored.contains(h))
                .toList();
        if (features.isEmpty()) {
            throw new InvalidDatasetException("The table has no feature columns besides '" + target + "'.", 0, null);
        }
        List<String> labels =
                classes.stream().distinct().sorted(TabularSet::compareLabels).toList();
        if (labels.size() != 2) {
            throw new InvalidDatasetException(
                    "A logistic classifier needs exactly two classes in '" + target + "'; found " + labels.size()
                            + (labels.size() <= 10 ? " " + labels : "") + ".",
                    null,
                    target);
        }
        double[][] rows = new double[table.rowCount()][features.size()];
        for (int f = 0; f < features.size(); f++) {
            double[] column = table.numericColumn(features.get(f));
            for (int r = 0; r < rows.length; r++) {
                rows[r][f] = column[r];
            }
        }
        int[] cls = classes.stream().mapToInt(labels::indexOf).toArray();
        return new TabularSet(features, rows, cls, labels);
    }

    /** Whether column {@code f} holds whole numbers, all different and rising: a row key's look. */
    private static boolean looksLikeRowKey(double[][] rows, int f) {
        if (rows.length < 3) {
            return false;
        }
        for (int r = 0; r < rows.length; r++) {
            double v = rows[r][f];
            if (v != Math.rint(v) || (r > 0 && v <= rows[r - 1][f])) {
                return false;
            }
        }
        return true;
    }

    /** Numbers in numeric order ("2" before "10"), anything else alphabetically. */
    static int compareLabels(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    /** The rows of each class, in label order. */
    public Map<String, Integer> classCounts() {
        return counts(classes, labels);
    }

    /** How many of {@code classes} (indices into {@code labels}) each label has, in label order. */
    static Map<String, Integer> counts(int[] classes, List<String> labels) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        labels.forEach(l -> counts.put(l, 0));
        for (int c : classes) {
            counts.merge(labels.get(c), 1, Integer::sum);
        }
        return counts;
    }

    /** A warning for each feature that looks like a row key: the model would learn it and ask for it. */
    List<String> rowKeyWarnings() {
        List<String> warnings = new ArrayList<>();
        for (int f = 0; f < features.size(); f++) {
            if (looksLikeRowKey(rows, f)) {
                warnings.add("Column '" + features.get(f) + "' holds different whole numbers in rising "
                        + "order, as a row key does; if it is one, upload again with ignore="
                        + features.get(f) + ", or the model will learn from it and ask for it.");
            }
        }
        return warnings;
    }
}
