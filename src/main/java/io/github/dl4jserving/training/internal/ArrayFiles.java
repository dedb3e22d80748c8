package io.github.dl4jserving.training.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J arrays in files of their own, as {@link Nd4j#write} stores them: a GAN checkpoint's weight
 * average in floats, and what a shipped version's training state keeps in bfloat16, half the bytes
 * (Adam's moments, the trained generator's offset from its average), where 8 bits of mantissa are
 * enough.
 */
final class ArrayFiles {
    private ArrayFiles() {}

    static void write(INDArray values, Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            Nd4j.write(values, out);
        }
    }

    static void writeBfloat16(INDArray values, Path file) throws IOException {
        write(values.castTo(DataType.BFLOAT16), file);
    }

    /** The array of {@code file}, in the type it was written in. */
    static INDArray read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            return Nd4j.read(in);
        }
    }

    /** The values of {@code file} as floats shaped like {@code like}; refused if there are not as many. */
    static INDArray readFloatsLike(Path file, INDArray like) throws IOException {
        INDArray values = read(file);
        if (values.length() != like.length()) {
            throw new IOException("The training state's " + file.getFileName() + " holds " + values.length()
                    + " values; this generator has " + like.length() + ".");
        }
        return values.castTo(DataType.FLOAT).reshape(like.shape());
    }
}
