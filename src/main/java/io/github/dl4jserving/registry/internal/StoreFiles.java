package io.github.dl4jserving.registry.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;

/** How the stores write files: a model zip, a small number, a directory put in place by one rename. */
final class StoreFiles {
    private StoreFiles() {}

    /** Writes a model file. */
    @FunctionalInterface
    interface ZipWriter {
        void write(Path zip) throws IOException;
    }

    /** Writes {@code network}, and {@code normalizer} when there is one, to {@code zip}. */
    static void writeModel(Path zip, MultiLayerNetwork network, DataNormalization normalizer) throws IOException {
        ModelSerializer.writeModel(network, zip.toFile(), false);
        if (normalizer != null) {
            // writeModel(..., normalizer) fails in 1.0.0-M2.1 (deeplearning4j#10154): the normalizer
            // serializer closes the zip stream under it. Adding it afterwards works.
            ModelSerializer.addNormalizerToModel(zip.toFile(), normalizer);
        }
    }

    /**
     * Copies a version's two files from {@code from} into a new directory {@code to}: not the
     * training state a shipped version may carry beside them.
     */
    static void copyVersionFiles(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String file : new String[] {ModelStore.MODEL_FILE, ModelStore.DESCRIPTOR_FILE}) {
            Files.copy(from.resolve(file), to.resolve(file));
        }
    }

    /** Renames a finished temporary version directory to its number, never over an existing one. */
    static void publish(Path tmp, Path target) throws IOException {
        if (Files.exists(target)) {
            throw new IOException(target + " appeared while this version was written (another writer?); try again");
        }
        moveIntoPlace(tmp, target);
    }

    /** Moves {@code from} to {@code to}, replacing it, atomically where the file system can. */
    static void moveIntoPlace(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The whole number in {@code file}, or 0 when there is none or it is not one. */
    static int readNumber(Path file) {
        try {
            return Files.isRegularFile(file)
                    ? Integer.parseInt(
                            Files.readString(file, StandardCharsets.UTF_8).trim())
                    : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Replaces {@code file} with {@code number}, whole or not at all. */
    static void writeNumber(Path file, int number) throws IOException {
        Path tmp = file.resolveSibling(".tmp-" + UUID.randomUUID());
        Files.writeString(tmp, number + "\n", StandardCharsets.UTF_8);
        moveIntoPlace(tmp, file);
    }
}
