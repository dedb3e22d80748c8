package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.datasets.MnistIdxReader;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a DCGAN run is fed: latent noise of a seed of its own, each epoch's order of the training
 * images, and batches of real images scaled to the generator's range.
 */
final class DcganInputs {
    static final int LATENT = MnistDcganTrainer.LATENT;

    private DcganInputs() {}

    /** {@code n} latent vectors from a generator of their own, so that scoring draws nothing from ND4J's. */
    static INDArray noise(long seed, int n) {
        Random random = new Random(seed);
        float[] z = new float[n * LATENT];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) random.nextGaussian();
        }
        return Nd4j.create(z, new long[] {n, LATENT}, DataType.FLOAT);
    }

    /** The order of the training images in {@code epoch}: a function of the seed and the epoch alone. */
    static int[] epochOrder(int examples, long seed, int epoch) {
        return MnistSamples.shuffled(examples, new Random(seed * 1_000_003L + epoch));
    }

    /** Images {@code order[from..from+n)} as [n, 1, 28, 28] in [-1, 1], the generator's tanh range. */
    static INDArray realBatch(MnistIdxReader.IdxImages images, int[] order, int from, int n) {
        int size = images.rows() * images.cols();
        float[] buffer = new float[n * size];
        for (int r = 0; r < n; r++) {
            byte[] px = images.pixels()[order[from + r]];
            for (int p = 0; p < size; p++) {
                buffer[r * size + p] = (px[p] & 0xFF) / 127.5f - 1f;
            }
        }
        return Nd4j.create(buffer, new long[] {n, 1, images.rows(), images.cols()}, DataType.FLOAT);
    }
}
