package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.datasets.DatasetFile;
import io.github.dl4jserving.datasets.DigitImages;
import io.github.dl4jserving.datasets.ImageSet;
import io.github.dl4jserving.datasets.NoDigitFoundException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The images a digit classifier trains on, split with the seed: indices into the training arrays
 * for training and validation, and a separate test set; from MNIST or from an uploaded image set.
 */
record ClassifierImages(
        float[][] trainImages,
        int[] trainLabels,
        int[] trainIdx,
        int[] validationIdx,
        float[][] testImages,
        int[] testLabels,
        List<String> labels,
        Map<String, String> sha256,
        String notes) {

    static ClassifierImages mnist(TrainingData data, long seed, TrainingOptions options) throws IOException {
        PreparedMnist mnist = PreparedMnist.load(data.directory());
        int[] order = MnistSamples.shuffled(mnist.trainCount(), new Random(seed));
        int examples = Math.min(options.examples(), MnistClassifierTrainer.TRAINING_SIZE);
        // A quick job on a sample validates on a fifth of its size (at least 100), not on 5,000.
        int validationSize = examples >= MnistClassifierTrainer.TRAINING_SIZE
                ? MnistClassifierTrainer.VALIDATION_SIZE
                : Math.max(100, examples / 5);
        int[] validationIdx = Arrays.copyOfRange(order, 0, validationSize);
        int[] trainIdx = Arrays.copyOfRange(
                order, MnistClassifierTrainer.VALIDATION_SIZE, MnistClassifierTrainer.VALIDATION_SIZE + examples);
        float[][] trainImages = mnist.trainImages(validationIdx);
        mnist.trainImages(trainIdx);
        return new ClassifierImages(
                trainImages,
                mnist.trainLabels(),
                trainIdx,
                validationIdx,
                mnist.testImages(),
                mnist.testLabels(),
                IntStream.range(0, 10).mapToObj(Integer::toString).toList(),
                MnistSamples.sha256(data.directory(), DatasetFile.MNIST),
                "Trained on " + trainIdx.length + " MNIST training images prepared by DigitImagePreprocessor; "
                        + validationSize + " held out for validation; metrics on the 10,000 test images.");
    }

    /** An uploaded image set, shuffled with the seed: a tenth for validation, a tenth for testing. */
    static ClassifierImages uploaded(TrainingData data, long seed, TrainingOptions options) throws IOException {
        ImageSet set = data.uploads().images(data.dataset());
        int n = set.images().count();
        float[][] all = new float[n][];
        IntStream.range(0, n).parallel().forEach(i -> {
            float[] scaled = set.images().scaled(i);
            if (set.prepared()) {
                all[i] = scaled;
            } else {
                try {
                    all[i] = DigitImages.prepareGreyLevels(
                                    scaled, set.images().cols(), set.images().rows())
                            .pixels();
                } catch (NoDigitFoundException e) {
                    all[i] = new float[DigitImages.PIXELS];
                }
            }
            if (all[i].length != DigitImages.PIXELS) {
                throw new IllegalStateException("image " + i + " did not prepare to 28x28");
            }
        });
        int[] order = MnistSamples.shuffled(n, new Random(seed));
        int tenth = Math.max(1, n / 10);
        int[] testIdx = Arrays.copyOfRange(order, 0, tenth);
        int[] validationIdx = Arrays.copyOfRange(order, tenth, 2 * tenth);
        int[] trainIdx = Arrays.copyOfRange(
                order, 2 * tenth, Math.min(n, 2 * tenth + Math.min(options.examples(), n - 2 * tenth)));
        float[][] test = new float[testIdx.length][];
        int[] testLabels = new int[testIdx.length];
        for (int i = 0; i < testIdx.length; i++) {
            test[i] = all[testIdx[i]];
            testLabels[i] = set.classes()[testIdx[i]];
        }
        return new ClassifierImages(
                all,
                set.classes(),
                trainIdx,
                validationIdx,
                test,
                testLabels,
                set.labels(),
                Map.of("upload", data.upload().sha256()),
                "Trained on " + trainIdx.length + " images of uploaded data set " + data.dataset() + " ("
                        + data.upload().kind() + "); " + validationIdx.length + " for validation and "
                        + testIdx.length + " for the test metrics, split with the seed.");
    }
}
