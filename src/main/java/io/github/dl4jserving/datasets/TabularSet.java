package io.github.dl4jserving.datasets;

import java.util.List;

/**
 * A numeric table for binary classification: one row of {@code features} per example and its
 * class, 0 for {@code labels.get(0)} and 1 for {@code labels.get(1)}.
 */
public record TabularSet(List<String> features, double[][] rows, int[] classes, List<String> labels) {}
