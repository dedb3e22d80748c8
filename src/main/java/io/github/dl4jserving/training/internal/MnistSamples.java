package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.datasets.DataDirectory;
import io.github.dl4jserving.datasets.DatasetFile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** MNIST arrays in the shapes the trainers feed to DL4J. */
final class MnistSamples {
    private MnistSamples() {}

    /** Rows {@code idx[from..to)} as features and one-hot labels over {@code classes} classes. */
    static DataSet batch(float[][] images, int[] labels, int[] idx, int from, int to, int classes) {
        int n = to - from;
        int width = images[idx[from]].length;
        float[] features = new float[n * width];
        float[] oneHot = new float[n * classes];
        for (int r = 0; r < n; r++) {
            System.arraycopy(images[idx[from + r]], 0, features, r * width, width);
            oneHot[r * classes + labels[idx[from + r]]] = 1f;
        }
        INDArray x = Nd4j.create(features, new long[] {n, width}, DataType.FLOAT);
        INDArray y = Nd4j.create(oneHot, new long[] {n, classes}, DataType.FLOAT);
        return new DataSet(x, y);
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
