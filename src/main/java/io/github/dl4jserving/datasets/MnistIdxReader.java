package io.github.dl4jserving.datasets;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the MNIST IDX format (big-endian, magic 0x803 for images and 0x801 for labels), gzipped or
 * raw: the gzip magic decides, not the file name.
 */
public final class MnistIdxReader {
    static final int IMAGE_MAGIC = 0x00000803;
    static final int LABEL_MAGIC = 0x00000801;
    /** Larger than any real IDX file; guards against a header that claims billions of items. */
    static final int MAX_ITEMS = 1_000_000;
    /** 250 million pixels: five times MNIST's training images. */
    static final long MAX_PIXELS = 250_000_000L;

    private MnistIdxReader() {}

    /** The images as unsigned bytes, one row of {@code rows * cols} per image. */
    public static IdxImages readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != IMAGE_MAGIC) {
                throw new IOException(file + " is not an IDX image file (magic 0x" + Integer.toHexString(magic)
                        + ", expected 0x803)");
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (count < 0
                    || count > MAX_ITEMS
                    || rows <= 0
                    || cols <= 0
                    || rows > 1024
                    || cols > 1024
                    || (long) count * rows * cols > MAX_PIXELS) {
                throw new IOException(
                        file + " has an implausible IDX header: " + count + " images of " + rows + "x" + cols);
            }
            // One image at a time: a header that promises more than the file holds ends in an
            // EOFException after reading what is there, not in allocating what it promised.
            byte[][] pixels = new byte[count][];
            for (int i = 0; i < count; i++) {
                pixels[i] = new byte[rows * cols];
                in.readFully(pixels[i]);
            }
            return new IdxImages(rows, cols, pixels);
        } catch (EOFException e) {
            throw new IOException(file + " ends before the number of images its header declares", e);
        }
    }

    /** The labels, one unsigned byte each. */
    public static int[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != LABEL_MAGIC) {
                throw new IOException(file + " is not an IDX label file (magic 0x" + Integer.toHexString(magic)
                        + ", expected 0x801)");
            }
            int count = in.readInt();
            if (count < 0 || count > MAX_ITEMS) {
                throw new IOException(file + " has an implausible IDX header: " + count + " labels");
            }
            byte[] raw = new byte[count];
            in.readFully(raw);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = raw[i] & 0xFF;
            }
            return labels;
        } catch (EOFException e) {
            throw new IOException(file + " ends before the number of labels its header declares", e);
        }
    }

    /** Reads the four MNIST files of {@code data}, downloading any that are missing. */
    public static MnistData read(DataDirectory data) throws IOException {
        IdxImages train = readImages(data.resolve(DatasetFile.MNIST_TRAIN_IMAGES));
        int[] trainLabels = readLabels(data.resolve(DatasetFile.MNIST_TRAIN_LABELS));
        IdxImages test = readImages(data.resolve(DatasetFile.MNIST_TEST_IMAGES));
        int[] testLabels = readLabels(data.resolve(DatasetFile.MNIST_TEST_LABELS));
        if (train.count() != trainLabels.length || test.count() != testLabels.length) {
            throw new IOException("MNIST image and label counts differ in " + data.root());
        }
        return new MnistData(train, trainLabels, test, testLabels);
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return new DataInputStream(in);
    }

    /** Images of one IDX file. */
    public record IdxImages(int rows, int cols, byte[][] pixels) {
        public int count() {
            return pixels.length;
        }

        /** Image {@code i} as values in [0, 1], ink high, as MNIST stores it. */
        public float[] scaled(int i) {
            byte[] raw = pixels[i];
            float[] out = new float[raw.length];
            for (int p = 0; p < raw.length; p++) {
                out[p] = (raw[p] & 0xFF) / 255f;
            }
            return out;
        }
    }

    /** The MNIST training and test splits. */
    public record MnistData(IdxImages trainImages, int[] trainLabels, IdxImages testImages, int[] testLabels) {}
}
