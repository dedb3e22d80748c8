package io.github.dl4jserving;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import io.github.dl4jserving.datasets.DataDirectory;
import io.github.dl4jserving.datasets.MnistIdxReader;

/** The shared data directory and the MNIST test split, read once per test JVM. */
public final class TestData {
    public static final Path DATA_DIR = Path.of("..", "shared", "data");
    public static final Path MODELS_DIR = Path.of("models");
    private static MnistIdxReader.IdxImages testImages;
    private static int[] testLabels;

    private TestData() {
    }

    public static DataDirectory dataDirectory() {
        return new DataDirectory(DATA_DIR);
    }

    public static synchronized MnistIdxReader.IdxImages mnistTestImages() {
        load();
        return testImages;
    }

    public static synchronized int[] mnistTestLabels() {
        load();
        return testLabels;
    }

    private static void load() {
        if (testImages != null) {
            return;
        }
        try {
            DataDirectory data = dataDirectory();
            testImages = MnistIdxReader.readImages(data.resolve(io.github.dl4jserving.datasets.DatasetFile.MNIST_TEST_IMAGES));
            testLabels = MnistIdxReader.readLabels(data.resolve(io.github.dl4jserving.datasets.DatasetFile.MNIST_TEST_LABELS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
