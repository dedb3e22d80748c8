package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.datasets.DataDirectory;
import io.github.dl4jserving.datasets.DatasetFile;
import io.github.dl4jserving.datasets.MnistIdxReader;
import java.nio.file.Path;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training loop of a mnist-mlp job, timed alone: the network of {@link MnistMlpTrainer} with its
 * defaults (Adam 1e-3, batch 128, dropout 0.2, L2 1e-5), 55,000 MNIST training images, one epoch
 * after a warm-up of 50 iterations, with the batches built as the job builds them. Run by
 * bench/train.sh beside the same loop in PyTorch (bench/peer/train_mlp.py).
 * Arguments: data directory, ND4J threads (default 1), epochs to time (default 2).
 */
public final class MlpEpochBenchmark {
    private MlpEpochBenchmark() {}

    public static void main(String[] args) throws Exception {
        io.github.dl4jserving.platform.NativeBackend.configure();
        DataDirectory data = new DataDirectory(Path.of(args[0]));
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);

        MnistIdxReader.IdxImages raw = MnistIdxReader.readImages(data.resolve(DatasetFile.MNIST_TRAIN_IMAGES));
        int[] labels = MnistIdxReader.readLabels(data.resolve(DatasetFile.MNIST_TRAIN_LABELS));
        int n = MnistClassifierTrainer.TRAINING_SIZE;
        float[][] images = new float[n][];
        for (int i = 0; i < n; i++) {
            images[i] = raw.scaled(i);
        }
        int batchSize = 128;
        MultiLayerNetwork net =
                new MultiLayerNetwork(new MnistMlpTrainer().configuration(42, 1e-3, "adam", 1e-5, 0.2, 10));
        net.init();
        int[] idx = MnistSamples.shuffled(n, new Random(42));
        for (int from = 0; from < 50 * batchSize; from += batchSize) {
            net.fit(MnistSamples.batch(images, labels, idx, from, from + batchSize, 10));
        }
        for (int epoch = 1; epoch <= epochs; epoch++) {
            MnistSamples.shuffleInPlace(idx, new Random(epoch));
            long start = System.nanoTime();
            double loss = 0;
            int batches = 0;
            for (int from = 0; from < n; from += batchSize) {
                DataSet batch = MnistSamples.batch(images, labels, idx, from, Math.min(n, from + batchSize), 10);
                net.fit(batch);
                loss += net.score();
                batches++;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    "dl4j threads=%d epoch %d: %.2f s, %.0f images/s, mean loss %.4f%n",
                    threads, epoch, seconds, n / seconds, loss / batches);
        }
    }
}
