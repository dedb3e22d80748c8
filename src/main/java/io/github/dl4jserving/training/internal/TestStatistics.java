package io.github.dl4jserving.training.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The mean and covariance of the judge's features over a set of test digits: the reference of every
 * Fréchet distance. For the MNIST test digits under the shipped judge they are shipped as the
 * resource {@value #RESOURCE}, which names the sha256 of the judge and of the test file it was made
 * from, so a judge trained again or another test file never meets stale statistics.
 *
 * <p>The file: the header {@value #HEADER}, the two sha256s, the feature count {@code n}, then the
 * {@code n} means and the {@code n x n} covariances, row by row, as big-endian doubles.
 */
record TestStatistics(INDArray mean, INDArray covariance) {
    static final String RESOURCE = "mnist-judge-test-statistics.bin";
    static final String HEADER = "dl4j-serving judge test statistics 1";

    /** The shipped statistics, if they were made by the judge {@code judgeSha256} from {@code testFileSha256}. */
    static Optional<TestStatistics> shipped(String judgeSha256, String testFileSha256) throws IOException {
        try (InputStream in = TestStatistics.class.getResourceAsStream(RESOURCE)) {
            return in == null ? Optional.empty() : read(in, judgeSha256, testFileSha256);
        }
    }

    static Optional<TestStatistics> read(InputStream stream, String judgeSha256, String testFileSha256)
            throws IOException {
        DataInputStream in = new DataInputStream(stream);
        if (!in.readUTF().equals(HEADER)
                || !in.readUTF().equals(judgeSha256)
                || !in.readUTF().equals(testFileSha256)) {
            return Optional.empty();
        }
        int n = in.readInt();
        double[] mean = new double[n];
        for (int i = 0; i < n; i++) {
            mean[i] = in.readDouble();
        }
        double[][] covariance = new double[n][n];
        for (double[] row : covariance) {
            for (int j = 0; j < n; j++) {
                row[j] = in.readDouble();
            }
        }
        return Optional.of(new TestStatistics(Nd4j.createFromArray(mean), Nd4j.createFromArray(covariance)));
    }

    void write(Path file, String judgeSha256, String testFileSha256) throws IOException {
        try (OutputStream stream = Files.newOutputStream(file)) {
            write(stream, judgeSha256, testFileSha256);
        }
    }

    void write(OutputStream stream, String judgeSha256, String testFileSha256) throws IOException {
        DataOutputStream out = new DataOutputStream(stream);
        out.writeUTF(HEADER);
        out.writeUTF(judgeSha256);
        out.writeUTF(testFileSha256);
        long n = mean.length();
        out.writeInt((int) n);
        INDArray m = mean.castTo(DataType.DOUBLE);
        INDArray c = covariance.castTo(DataType.DOUBLE);
        for (long i = 0; i < n; i++) {
            out.writeDouble(m.getDouble(i));
        }
        for (long i = 0; i < n; i++) {
            for (long j = 0; j < n; j++) {
                out.writeDouble(c.getDouble(i, j));
            }
        }
        out.flush();
    }
}
