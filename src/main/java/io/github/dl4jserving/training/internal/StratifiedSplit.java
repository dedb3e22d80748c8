package io.github.dl4jserving.training.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A table's rows split for training and testing with each class in the same proportion, and what
 * the training split alone may tell about the data (a feature's median, to fill missing values).
 *
 * @param train the row indices of the training split
 * @param test  the row indices of the test split
 */
record StratifiedSplit(int[] train, int[] test) {

    /** Shuffles each class's rows with {@code seed} and puts the first {@code fraction} of each in training. */
    static StratifiedSplit of(int[] classes, double fraction, long seed) {
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        Random random = new Random(seed);
        for (int cls : new int[] {0, 1}) {
            List<Integer> ofClass = new ArrayList<>();
            for (int i = 0; i < classes.length; i++) {
                if (classes[i] == cls) {
                    ofClass.add(i);
                }
            }
            Collections.shuffle(ofClass, random);
            int cut = (int) Math.round(ofClass.size() * fraction);
            train.addAll(ofClass.subList(0, cut));
            test.addAll(ofClass.subList(cut, ofClass.size()));
        }
        return new StratifiedSplit(
                train.stream().mapToInt(Integer::intValue).toArray(),
                test.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The median of one feature over the rows at {@code idx}, missing values left out. */
    static double median(double[][] rows, int[] idx, int feature) {
        double[] values = Arrays.stream(idx)
                .mapToDouble(i -> rows[i][feature])
                .filter(v -> !Double.isNaN(v))
                .sorted()
                .toArray();
        int n = values.length;
        if (n == 0) {
            return 0;
        }
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
