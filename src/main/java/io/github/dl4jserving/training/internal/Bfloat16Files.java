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
 * Arrays a shipped version's training state keeps in bfloat16, half the bytes of floats: Adam's
 * moments and the trained generator's offset from its average, where 8 bits of mantissa are enough.
 */
final class Bfloat16Files {
    private Bfloat16Files() {}

    static void write(INDArray values, Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            Nd4j.write(values.castTo(DataType.BFLOAT16), out);
        }
    }

    /** The values of {@code file} as floats shaped like {@code like}; refused if there are not as many. */
    static INDArray read(Path file, INDArray like) throws IOException {
        INDArray values;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            values = Nd4j.read(in);
        }
        if (values.length() != like.length()) {
            throw new IOException("The training state's " + file.getFileName() + " holds " + values.length()
                    + " values; this generator has " + like.length() + ".");
        }
        return values.castTo(DataType.FLOAT).reshape(like.shape());
    }
}
