package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.datasets.DataDirectory;
import io.github.dl4jserving.datasets.DatasetFile;
import io.github.dl4jserving.datasets.MnistIdxReader;
import io.github.dl4jserving.platform.NativeBackend;
import java.nio.file.Path;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

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
        NativeBackend.configure();
        DataDirectory data = new DataDirectory(Path.of(args[0]));
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        NativeBackend.limitOperationThreads(threads); // as the service does, and a job on its thread

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
        MnistSamples.Batches batches = new MnistSamples.Batches(images, labels, 10);
        for (int from = 0; from < 50 * batchSize; from += batchSize) {
            net.fit(batches.batch(idx, from, from + batchSize));
        }
        for (int epoch = 1; epoch <= epochs; epoch++) {
            MnistSamples.shuffleInPlace(idx, new Random(epoch));
            long start = System.nanoTime();
            double loss = 0;
            int count = 0;
            for (int from = 0; from < n; from += batchSize) {
                DataSet batch = batches.batch(idx, from, Math.min(n, from + batchSize));
                net.fit(batch);
                loss += net.score();
                count++;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    "dl4j threads=%d epoch %d: %.2f s, %.0f images/s, mean loss %.4f%n",
                    threads, epoch, seconds, n / seconds, loss / count);
        }
    }
}
