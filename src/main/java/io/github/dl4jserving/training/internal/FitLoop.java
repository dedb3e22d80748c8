package io.github.dl4jserving.training.internal;

import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The loop the supervised trainers share: epochs of mini-batches, the cancellation checked before
 * each batch (the network is closed and {@link TrainingCancelledException} thrown), each
 * iteration's loss reported with the share of the job done, and each epoch's mean loss with the
 * trainer's validation metrics. A trainer supplies the network, how an epoch starts (a new order),
 * its batches and what to validate. The GAN, with two networks, checkpoints and a time budget,
 * keeps a loop of its own and stops through {@link #stopIfCancelled}.
 *
 * @param epochs          passes over the training data
 * @param batchesPerEpoch mini-batches in each pass
 */
record FitLoop(int epochs, int batchesPerEpoch) {

    /** The metrics reported after an epoch, or null to report nothing after this one. */
    @FunctionalInterface
    interface Validation {
        Map<String, Double> after(int epoch, double meanLoss);
    }

    static FitLoop of(int epochs, int examples, int batchSize) {
        return new FitLoop(epochs, (examples + batchSize - 1) / batchSize);
    }

    /**
     * Fits {@code net}: {@code newEpoch} is called with each epoch's number before its first batch,
     * {@code batch} with each batch's index in the epoch.
     */
    void run(
            MultiLayerNetwork net,
            TrainingProgress progress,
            IntConsumer newEpoch,
            IntFunction<DataSet> batch,
            Validation validation) {
        long total = (long) epochs * batchesPerEpoch;
        long iteration = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            newEpoch.accept(epoch);
            double lossSum = 0;
            for (int b = 0; b < batchesPerEpoch; b++) {
                stopIfCancelled(progress, net);
                net.fit(batch.apply(b));
                double loss = net.score();
                lossSum += loss;
                iteration++;
                progress.iteration(epoch, iteration, loss, iteration / (double) total);
            }
            double meanLoss = lossSum / batchesPerEpoch;
            Map<String, Double> metrics = validation.after(epoch, meanLoss);
            if (metrics != null) {
                progress.epoch(epoch, meanLoss, metrics);
            }
        }
    }

    /** Closes the networks and throws {@link TrainingCancelledException} once a cancel was asked for. */
    static void stopIfCancelled(TrainingProgress progress, MultiLayerNetwork... networks) {
        if (progress.cancelRequested()) {
            for (MultiLayerNetwork n : networks) {
                n.close();
            }
            throw new TrainingCancelledException();
        }
    }
}
