package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.datasets.DataDirectory;
import io.github.dl4jserving.datasets.DigitImages;
import io.github.dl4jserving.datasets.MnistIdxReader;
import io.github.dl4jserving.datasets.NoDigitFoundException;
import java.io.IOException;
import java.lang.ref.SoftReference;
import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * MNIST after the request preparation, prepared on demand and kept (softly) between jobs:
 * preparing all 70,000 images takes longer than an epoch of the small models, every MNIST job
 * needs the same arrays, and a quick job on a few hundred images should not prepare them all.
 */
final class PreparedMnist {
    private static SoftReference<PreparedMnist> cached = new SoftReference<>(null);
    private static Path cachedFrom;

    private final MnistIdxReader.MnistData raw;
    private final float[][] train;
    private final float[][] test;

    private PreparedMnist(MnistIdxReader.MnistData raw) {
        this.raw = raw;
        this.train = new float[raw.trainImages().count()][];
        this.test = new float[raw.testImages().count()][];
    }

    static synchronized PreparedMnist load(DataDirectory data) throws IOException {
        PreparedMnist p = cached.get();
        if (p != null && data.root().equals(cachedFrom)) {
            return p;
        }
        p = new PreparedMnist(MnistIdxReader.read(data));
        cached = new SoftReference<>(p);
        cachedFrom = data.root();
        return p;
    }

    int trainCount() {
        return train.length;
    }

    int[] trainLabels() {
        return raw.trainLabels();
    }

    int[] testLabels() {
        return raw.testLabels();
    }

    /** The training images, with at least those at {@code indices} prepared (others may be null). */
    float[][] trainImages(int[] indices) {
        return ensure(train, raw.trainImages(), indices);
    }

    /** Every test image, prepared. */
    float[][] testImages() {
        return ensure(test, raw.testImages(), IntStream.range(0, test.length).toArray());
    }

    private static float[][] ensure(float[][] target, MnistIdxReader.IdxImages images, int[] indices) {
        synchronized (target) {
            IntStream.of(indices).parallel().filter(i -> target[i] == null).forEach(i -> {
                float[] scaled = images.scaled(i);
                try {
                    target[i] = DigitImages.prepareGreyLevels(scaled, images.cols(), images.rows())
                            .pixels();
                } catch (NoDigitFoundException e) {
                    target[i] = scaled; // an image with no ink stays as it is
                }
            });
        }
        return target;
    }
}
