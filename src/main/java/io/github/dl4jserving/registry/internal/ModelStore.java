package io.github.dl4jserving.registry.internal;

import io.github.dl4jserving.platform.StorageException;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The layout of the models directory. A new version is written into a hidden temporary directory
 * and renamed into place in one step, so a reader (or a restart after a crash) sees either the
 * whole version or none of it.
 */
public class ModelStore {
    private static final Logger log = LoggerFactory.getLogger(ModelStore.class);
    public static final String MODEL_FILE = "model.zip";
    public static final String DESCRIPTOR_FILE = "model.json";
    /** Holds the pinned default version of a model, when one is pinned. */
    public static final String DEFAULT_FILE = "default-version";

    public static final String LAST_VERSION_FILE = ".last-version";

    private final Path root;

    public ModelStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** {@code <root>/<name>}, for a valid name only, and checked to lie directly under the root. */
    private Path modelDir(String name) {
        if (!ModelName.isValid(name)) {
            throw new IllegalArgumentException("Invalid model name");
        }
        Path dir = root.resolve(name).normalize();
        if (!root.equals(dir.getParent())) {
            throw new IllegalArgumentException("Invalid model name");
        }
        return dir;
    }

    /**
     * Copies into this store every version under {@code seeds} (the shipped models, read only) that
     * this store has never had: a version is copied when its number is above every version the model
     * has here, on disk or recorded in {@code .last-version}. So the first start takes all the seeds,
     * a later release's new seed versions arrive, and a version the user deleted, or a number the
     * user's own training took, is never brought back or overwritten. Returns the versions copied.
     */
    public synchronized List<VersionDirectory> seedFrom(Path seeds) throws IOException {
        Path seedRoot = seeds.toAbsolutePath().normalize();
        if (!Files.isDirectory(seedRoot) || seedRoot.equals(root)) {
            return List.of();
        }
        List<VersionDirectory> copied = new ArrayList<>();
        for (VersionDirectory seed : new ModelStore(seedRoot).scan()) {
            if (seed.version() < nextVersion(seed.name())) {
                continue;
            }
            Path modelDir = modelDir(seed.name());
            Path tmp = modelDir.resolve(".tmp-" + UUID.randomUUID());
            try {
                Files.createDirectories(modelDir);
                copyTree(seed.path(), tmp);
                Path target = modelDir.resolve(Integer.toString(seed.version()));
                try {
                    publish(tmp, target);
                } catch (IOException e) {
                    if (Files.exists(target)) {
                        continue; // another replica seeded it a moment ago
                    }
                    throw e;
                }
                recordVersion(seed.name(), seed.version());
                copied.add(new VersionDirectory(seed.name(), seed.version(), target));
            } catch (IOException e) {
                StorageException.throwIfStorage(
                        "the shipped version " + seed.version() + " of '" + seed.name() + "'", e, root);
                throw e;
            } finally {
                deleteRecursively(tmp);
            }
        }
        return copied;
    }

    /** {@link #seedFrom}, logged: what was copied, or that the seeds directory is missing. */
    /** The store at {@code root}, first given the shipped versions under {@code seeds} it has never had. */
    public static ModelStore seeded(Path root, Optional<Path> seeds) throws IOException {
        ModelStore store = new ModelStore(root);
        if (seeds.isPresent()) {
            seed(store, seeds.get());
        }
        return store;
    }

    public static void seed(ModelStore store, Path seeds) throws IOException {
        if (!Files.isDirectory(seeds)) {
            log.info(
                    "No shipped models at {}: the registry at {} starts with what it holds",
                    seeds.toAbsolutePath(),
                    store.root());
            return;
        }
        List<VersionDirectory> copied = store.seedFrom(seeds);
        if (!copied.isEmpty()) {
            log.info(
                    "Seeded {} from the shipped models in {}: {}",
                    store.root(),
                    seeds.toAbsolutePath(),
                    copied.stream().map(v -> v.name() + "@" + v.version()).toList());
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.sorted().toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** Every version directory on disk, by model name and ascending version. */
    public List<VersionDirectory> scan() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<VersionDirectory> found = new ArrayList<>();
        try (DirectoryStream<Path> models = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path modelDir : models) {
                String name = modelDir.getFileName().toString();
                if (!ModelName.isValid(name)) {
                    continue;
                }
                try (Stream<Path> versions = Files.list(modelDir)) {
                    versions.filter(Files::isDirectory)
                            .map(p -> p.getFileName().toString())
                            .filter(v -> v.matches("[1-9][0-9]{0,8}"))
                            .forEach(v ->
                                    found.add(new VersionDirectory(name, Integer.parseInt(v), modelDir.resolve(v))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + root, e);
        }
        found.sort(Comparator.comparing(VersionDirectory::name).thenComparingInt(VersionDirectory::version));
        return found;
    }

    public static ModelDescriptor readDescriptor(Path versionDir) throws IOException {
        return DescriptorJson.read(versionDir.resolve(DESCRIPTOR_FILE));
    }

    public static String toJson(ModelDescriptor descriptor) {
        return DescriptorJson.write(descriptor);
    }

    /** The pinned default version of {@code name}, if a valid one is pinned. */
    public Optional<Integer> pinnedDefault(String name) {
        Path file = modelDir(name).resolve(DEFAULT_FILE);
        try {
            if (Files.isRegularFile(file)) {
                return Optional.of(Integer.parseInt(
                        Files.readString(file, StandardCharsets.UTF_8).trim()));
            }
        } catch (IOException | NumberFormatException e) {
            // an unreadable pin is ignored: the highest version serves
        }
        return Optional.empty();
    }

    /**
     * Writes {@code network} as the next version of the descriptor's model and returns the
     * descriptor with its assigned version. Versions are never reused, even those on disk that
     * failed to load.
     */
    public ModelDescriptor writeNewVersion(
            ModelDescriptor descriptor, MultiLayerNetwork network, DataNormalization normalizer) throws IOException {
        return writeVersion(
                descriptor,
                zip -> {
                    ModelSerializer.writeModel(network, zip.toFile(), false);
                    if (normalizer != null) {
                        // writeModel(..., normalizer) fails in 1.0.0-M2.1 (deeplearning4j#10154): the
                        // normalizer serializer closes the zip stream under it. Adding it afterwards works.
                        ModelSerializer.addNormalizerToModel(zip.toFile(), normalizer);
                    }
                },
                (dir, versioned) -> {});
    }

    /**
     * Adds an uploaded model file as the next version of {@code descriptor.name()}. {@code validate}
     * is called on the complete temporary directory before it is renamed into place; when it (or
     * anything else) fails, nothing is left on disk.
     */
    public ModelDescriptor writeUploadedVersion(ModelDescriptor descriptor, Path modelZip, VersionValidator validate)
            throws IOException {
        return writeVersion(descriptor, zip -> Files.copy(modelZip, zip), validate);
    }

    private synchronized ModelDescriptor writeVersion(
            ModelDescriptor descriptor, ZipWriter writeZip, VersionValidator validate) throws IOException {
        String name = descriptor.name();
        Path modelDir = modelDir(name);
        Path tmp = modelDir.resolve(".tmp-" + UUID.randomUUID());
        try {
            ModelDescriptor versioned;
            try {
                Files.createDirectories(modelDir);
                Files.createDirectory(tmp);
                writeZip.write(tmp.resolve(MODEL_FILE));
                versioned = descriptor.withVersion(nextVersion(name));
                Files.writeString(tmp.resolve(DESCRIPTOR_FILE), toJson(versioned) + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                StorageException.throwIfStorage("a new version of '" + name + "'", e, root);
                throw e;
            }
            validate.check(tmp, versioned);
            publish(tmp, modelDir.resolve(Integer.toString(versioned.version())));
            recordVersion(name, versioned.version());
            return versioned;
        } finally {
            deleteRecursively(tmp);
        }
    }

    @FunctionalInterface
    private interface ZipWriter {
        void write(Path zip) throws IOException;
    }

    /** Pins the default version of {@code name}, replacing the pin file in one rename. */
    public synchronized void pinDefault(String name, int version) throws IOException {
        Path modelDir = modelDir(name);
        Path tmp = modelDir.resolve(".tmp-" + UUID.randomUUID());
        try {
            Files.writeString(tmp, version + "\n", StandardCharsets.UTF_8);
            moveIntoPlace(tmp, modelDir.resolve(DEFAULT_FILE));
        } catch (IOException e) {
            StorageException.throwIfStorage("the default of '" + name + "'", e, root);
            throw e;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Removes a version directory: renamed away first, so it disappears in one step, then deleted. */
    public synchronized void deleteVersion(String name, int version) throws IOException {
        Path dir = modelDir(name).resolve(Integer.toString(version));
        Path trash = modelDir(name).resolve(".deleted-" + UUID.randomUUID());
        moveIntoPlace(dir, trash);
        deleteRecursively(trash);
    }

    /** Renames a finished temporary version directory to its number, never over an existing one. */
    private static void publish(Path tmp, Path target) throws IOException {
        if (Files.exists(target)) {
            throw new IOException(target + " appeared while this version was written (another writer?); try again");
        }
        moveIntoPlace(tmp, target);
    }

    private static void moveIntoPlace(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Checks a complete version directory before it becomes visible. */
    @FunctionalInterface
    public interface VersionValidator {
        void check(Path versionDirectory, ModelDescriptor descriptor) throws IOException;
    }

    /**
     * One more than any version this model ever had: the highest on disk, or the highest recorded
     * in {@code .last-version}, which outlives deleted versions so their numbers are never reused.
     */
    private int nextVersion(String name) {
        int onDisk = scan().stream()
                .filter(v -> v.name().equals(name))
                .mapToInt(VersionDirectory::version)
                .max()
                .orElse(0);
        int recorded = 0;
        try {
            Path file = modelDir(name).resolve(LAST_VERSION_FILE);
            if (Files.isRegularFile(file)) {
                recorded = Integer.parseInt(
                        Files.readString(file, StandardCharsets.UTF_8).trim());
            }
        } catch (IOException | NumberFormatException e) {
            // no usable record: the directories decide
        }
        return Math.max(onDisk, recorded) + 1;
    }

    private void recordVersion(String name, int version) throws IOException {
        Path modelDir = modelDir(name);
        Path tmp = modelDir.resolve(".tmp-" + UUID.randomUUID());
        Files.writeString(tmp, version + "\n", StandardCharsets.UTF_8);
        moveIntoPlace(tmp, modelDir.resolve(LAST_VERSION_FILE));
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A version directory found on disk, not yet loaded. */
    public record VersionDirectory(String name, int version, Path path) {}
}
