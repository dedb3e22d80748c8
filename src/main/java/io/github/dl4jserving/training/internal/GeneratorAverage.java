package io.github.dl4jserving.training.internal;

import java.io.IOException;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An exponential moving average of the generator's weights, which is what a DCGAN run serves and
 * judges (Yazıcı et al., "The Unusual Effectiveness of Averaging in GAN Training", 2019): the
 * generator's weights circle around a good point while the two networks chase each other, and the
 * average sits nearer to it. The sum starts at zero and is divided by {@code 1 - decay^steps}, as
 * Adam corrects its moments, so that a short run (or one that starts averaging late) is the mean of
 * its recent weights rather than a pull towards zero.
 */
final class GeneratorAverage {
    /** About the last 1,000 iterations (one MNIST epoch at batch 64) weigh in. */
    static final double DECAY = 0.999;

    private final INDArray sum;
    private long steps;

    private GeneratorAverage(INDArray sum, long steps) {
        this.sum = sum;
        this.steps = steps;
    }

    /** An average of no weights yet, for a generator of {@code length} parameters. */
    static GeneratorAverage empty(long length) {
        return new GeneratorAverage(Nd4j.zeros(DataType.FLOAT, 1, length), 0);
    }

    /** The average of a version's generator, whose weights {@code averaged} were this average after {@code steps}. */
    static GeneratorAverage ofAveraged(INDArray averaged, long steps) {
        INDArray sum = averaged.castTo(DataType.FLOAT).reshape(1, averaged.length());
        return new GeneratorAverage(sum.mul(1 - Math.pow(DECAY, steps)), steps);
    }

    /** Takes in the generator's weights after one more step. */
    void update(INDArray weights) {
        sum.muli(DECAY);
        Nd4j.getBlasWrapper().level1().axpy(sum.length(), 1 - DECAY, weights.reshape(sum.shape()), sum);
        steps++;
    }

    long steps() {
        return steps;
    }

    /** The averaged weights; the caller's own array. Only after a first step. */
    INDArray weights() {
        if (steps == 0) {
            throw new IllegalStateException("No weights averaged yet.");
        }
        return sum.div(1 - Math.pow(DECAY, steps));
    }

    void write(Path file) throws IOException {
        ArrayFiles.write(sum, file);
    }

    /** The sum written by {@link #write}, after {@code steps} steps; refused if it is not {@code length} long. */
    static GeneratorAverage read(Path file, long steps, long length) throws IOException {
        INDArray sum = ArrayFiles.read(file);
        if (sum.length() != length) {
            throw new IOException(
                    file.getFileName() + " averages " + sum.length() + " weights; this generator has " + length + ".");
        }
        return new GeneratorAverage(sum.castTo(DataType.FLOAT).reshape(1, length), steps);
    }
}
