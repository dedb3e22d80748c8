package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.datasets.DataDirectory;
import io.github.dl4jserving.datasets.DatasetFile;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** MNIST arrays in the shapes the trainers feed to DL4J. */
final class MnistSamples {
    private MnistSamples() {}

    /** Rows {@code idx[from..to)} as {@link Batches#batch} gives them, in arrays of their own. */
    static DataSet batch(float[][] images, int[] labels, int[] idx, int from, int to, int classes) {
        return new Batches(images, labels, classes).batch(idx, from, to);
    }

    /**
     * The training batches of one loop, written into the same two native arrays per batch size
     * (the last batch of an epoch may be smaller). A fresh array per batch cost an mnist-mlp epoch
     * about 4% in allocation, element-by-element copying and the kernel zeroing new pages. A batch
     * is valid until the next one of its size: the network reads it only during its fit call.
     */
    static final class Batches {
        private final float[][] images;
        private final int[] labels;
        private final int classes;
        private final Map<Integer, DataSet> bySize = new HashMap<>();

        Batches(float[][] images, int[] labels, int classes) {
            this.images = images;
            this.labels = labels;
            this.classes = classes;
        }

        /** Rows {@code idx[from..to)} as features and one-hot labels over the classes. */
        DataSet batch(int[] idx, int from, int to) {
            int n = to - from;
            int width = images[idx[from]].length;
            DataSet set = bySize.computeIfAbsent(
                    n,
                    k -> new DataSet(
                            Nd4j.create(DataType.FLOAT, new long[] {k, width}, 'c'),
                            Nd4j.create(DataType.FLOAT, new long[] {k, classes}, 'c')));
            FloatBuffer x = NativeFloats.of(set.getFeatures());
            FloatBuffer y = NativeFloats.of(set.getLabels());
            float[] oneHot = new float[classes];
            for (int r = 0; r < n; r++) {
                x.put(r * width, images[idx[from + r]], 0, width);
                int label = labels[idx[from + r]];
                oneHot[label] = 1f;
                y.put(r * classes, oneHot);
                oneHot[label] = 0f;
            }
            return set;
        }
    }

    static Map<String, String> sha256(DataDirectory data, List<DatasetFile> files) {
        Map<String, String> out = new LinkedHashMap<>();
        for (DatasetFile f : files) {
            out.put(f.relativePath(), DataDirectory.sha256(data.resolve(f)));
        }
        return out;
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
