package io.github.dl4jserving.registry.internal;

import io.github.dl4jserving.registry.InvalidModelException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UTFDataFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.serializer.NormalizerType;

/**
 * Reads a {@code model.zip} through DL4J's ModelSerializer, after checking that nothing in it would
 * make DL4J run Java deserialization or load a class the file names.
 *
 * <p>ModelSerializer (1.0.0-M2.1) has three such paths, all reachable from the bytes of an upload:
 * a {@code preprocessor.bin} entry is read with {@code ObjectInputStream.readObject};
 * {@code restoreNormalizerFromFile} falls back to {@code ObjectInputStream} over the whole file when
 * the normalizer does not parse (and then rewrites the file); and a normalizer of type
 * {@code CUSTOM} names a class that is loaded and instantiated. So an archive may hold only the
 * entries ModelSerializer writes for a network without a preprocessor, each once, in a plain zip
 * that starts at byte 0 (the sequential and the central-directory readers must see the same
 * entries); a normalizer must be one of the built-in types; and the normalizer is read through
 * {@code restoreNormalizerFromInputStream}, which has no fallback.
 */
public final class ModelArchive {
    static final Set<String> ENTRIES = Set.of(
            "configuration.json",
            "coefficients.bin",
            "noParams.marker",
            "updaterState.bin",
            ModelSerializer.NORMALIZER_BIN);
    /** An inflated archive beyond this is refused before DL4J reads it into memory. */
    static final long MAX_INFLATED_BYTES = 1L << 30;

    private static final byte[] LOCAL_HEADER = {'P', 'K', 3, 4};
    private static final Set<NormalizerType> NORMALIZER_TYPES = EnumSet.complementOf(EnumSet.of(NormalizerType.CUSTOM));

    private ModelArchive() {}

    public record Contents(MultiLayerNetwork network, DataNormalization normalizer) {}

    public static Contents read(Path file) throws IOException {
        check(file);
        MultiLayerNetwork network = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            DataNormalization normalizer = ModelSerializer.restoreNormalizerFromInputStream(in);
            return new Contents(network, normalizer);
        } catch (IOException | RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** Refuses, with a message naming the problem, any archive {@link #read} should not hand to DL4J. */
    static void check(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            if (!Arrays.equals(in.readNBytes(LOCAL_HEADER.length), LOCAL_HEADER)) {
                throw new InvalidModelException("model.zip is not a zip file (it must start with a zip entry)");
            }
        }
        List<String> central = new ArrayList<>();
        long inflated = 0;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                String name = entry.getName();
                if (!ENTRIES.contains(name)) {
                    throw new InvalidModelException("model.zip holds '" + printable(name) + "'; only "
                            + ENTRIES.stream().sorted().toList() + " are accepted"
                            + ("preprocessor.bin".equals(name)
                                    ? " (a preprocessor is stored as a Java-serialized "
                                            + "object, which is never read from an upload)"
                                    : ""));
                }
                if (central.contains(name)) {
                    throw new InvalidModelException("model.zip holds '" + name + "' twice");
                }
                central.add(name);
                inflated += Math.max(0, entry.getSize());
            }
            if (inflated > MAX_INFLATED_BYTES) {
                throw tooLarge();
            }
            if (central.contains(ModelSerializer.NORMALIZER_BIN)) {
                try (InputStream normalizer = zip.getInputStream(zip.getEntry(ModelSerializer.NORMALIZER_BIN))) {
                    checkNormalizerHeader(normalizer);
                }
            }
        } catch (ZipException e) {
            throw new InvalidModelException("model.zip is not a readable zip file");
        }
        List<String> sequential = new ArrayList<>();
        long read = 0;
        try (ZipInputStream in = new ZipInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            byte[] buffer = new byte[64 * 1024];
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                sequential.add(entry.getName());
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    read += n;
                    if (read > MAX_INFLATED_BYTES) {
                        throw tooLarge();
                    }
                }
            }
        } catch (ZipException e) {
            throw new InvalidModelException("model.zip is not a readable zip file");
        }
        if (!sequential.equals(central)) {
            throw new InvalidModelException(
                    "model.zip's entries differ between its local headers and its central " + "directory");
        }
    }

    /** The longest configuration.json read to count a network's parameters. */
    static final int MAX_CONFIGURATION_BYTES = 8 << 20;

    /**
     * The parameters the network of {@code file} declares, counted from its configuration alone, before
     * any weight is read: an archive of 310 KB can describe a network of 78 million zeros.
     */
    public static long parameterCount(Path file) throws IOException {
        check(file);
        String json;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry("configuration.json");
            if (entry == null) {
                throw new InvalidModelException("model.zip has no configuration.json");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                byte[] bytes = in.readNBytes(MAX_CONFIGURATION_BYTES + 1);
                if (bytes.length > MAX_CONFIGURATION_BYTES) {
                    throw new InvalidModelException(
                            "model.zip's configuration.json is over " + (MAX_CONFIGURATION_BYTES >> 20) + " MB");
                }
                json = new String(bytes, StandardCharsets.UTF_8);
            }
        }
        try {
            MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(json);
            long total = 0;
            for (NeuralNetConfiguration layer : conf.getConfs()) {
                total += layer.getLayer().initializer().numParams(layer);
            }
            return total;
        } catch (RuntimeException e) {
            throw new InvalidModelException(
                    "model.zip's configuration.json is not a multi-layer network configuration DL4J can read");
        }
    }

    private static InvalidModelException tooLarge() {
        return new InvalidModelException("model.zip inflates to more than " + (MAX_INFLATED_BYTES >> 20) + " MB");
    }

    private static void checkNormalizerHeader(InputStream normalizer) throws IOException {
        DataInputStream in = new DataInputStream(normalizer);
        try {
            if (!"NORMALIZER".equals(in.readUTF())) {
                throw new InvalidModelException("normalizer.bin has no NORMALIZER header");
            }
            in.readInt();
            String type = in.readUTF();
            if (NORMALIZER_TYPES.stream().noneMatch(t -> t.name().equals(type))) {
                throw new InvalidModelException("normalizer.bin is of type '" + printable(type) + "'; accepted: "
                        + NORMALIZER_TYPES + " (a CUSTOM normalizer names a class to load, which is never done "
                        + "for an upload)");
            }
        } catch (EOFException | UTFDataFormatException e) {
            throw new InvalidModelException("normalizer.bin is truncated or garbled");
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
