package io.github.dl4jserving.registry.internal;

import io.github.dl4jserving.platform.StorageException;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.springframework.util.FileSystemUtils;

/**
 * The store as a local directory. A new version is written into a hidden temporary directory and
 * renamed into place in one step, so a reader (or a restart after a crash) sees either the whole
 * version or none of it.
 *
 * <p>In single-model mode ({@code dl4j-serving.registry.model-name}) the directory holds the versions
 * of one model directly ({@code <root>/<version>/}), as KServe's storage initializer lays out
 * {@code /mnt/models}. A read-only store never writes, not even to clean up.
 */
public class FileModelStore extends BaseModelStore {
    public static final String LAST_VERSION_FILE = ".last-version";
    private static final Duration LEFTOVER_AGE = Duration.ofMinutes(10);

    private final Path root;

    /** A writable store of many models at {@code root}. */
    public FileModelStore(Path root) {
        this(root, null, false);
    }

    /**
     * @param singleModel the one model whose versions lie directly under {@code root}, or null
     * @param readOnly    whether every write is refused
     */
    public FileModelStore(Path root, String singleModel, boolean readOnly) {
        super(singleModel, readOnly);
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public String location() {
        return root + modeSuffix();
    }

    @Override
    public String publicLocation() {
        return "the models directory" + modeSuffix();
    }

    /** {@code <root>/<name>}, for a valid name only, and checked to lie directly under the root. */
    private Path modelDir(String name) {
        if (!holds(name)) {
            throw new IllegalArgumentException("Invalid model name");
        }
        if (singleModel != null) {
            return root;
        }
        Path dir = root.resolve(name).normalize();
        if (!root.equals(dir.getParent())) {
            throw new IllegalArgumentException("Invalid model name");
        }
        return dir;
    }

    @Override
    public synchronized List<StoredVersion> seedFrom(Path seeds) throws IOException {
        Path seedRoot = seeds.toAbsolutePath().normalize();
        if (readOnly() || !Files.isDirectory(seedRoot) || seedRoot.equals(root)) {
            return List.of();
        }
        List<StoredVersion> copied = new ArrayList<>();
        FileModelStore seedStore = new FileModelStore(seedRoot);
        for (StoredVersion seed : seedStore.scan()) {
            if ((singleModel != null && !singleModel.equals(seed.name()))
                    || seed.version() < nextVersion(seed.name())) {
                continue;
            }
            Path modelDir = modelDir(seed.name());
            Path tmp = modelDir.resolve(".tmp-" + UUID.randomUUID());
            try {
                Files.createDirectories(modelDir);
                StoreFiles.copyVersionFiles(seedStore.versionDir(seed.name(), seed.version()), tmp);
                Path target = modelDir.resolve(Integer.toString(seed.version()));
                try {
                    StoreFiles.publish(tmp, target);
                } catch (IOException e) {
                    if (Files.exists(target)) {
                        continue; // another replica seeded it a moment ago
                    }
                    throw e;
                }
                recordVersion(seed.name(), seed.version());
                copied.add(seed);
            } catch (IOException e) {
                StorageException.throwIfStorage(
                        "the shipped version " + seed.version() + " of '" + seed.name() + "'", e, root);
                throw e;
            } finally {
                FileSystemUtils.deleteRecursively(tmp);
            }
        }
        return copied;
    }

    @Override
    public List<StoredVersion> scan() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<StoredVersion> found = new ArrayList<>();
        try {
            if (singleModel != null) {
                scanModel(singleModel, root, found);
            } else {
                try (DirectoryStream<Path> models = Files.newDirectoryStream(root, Files::isDirectory)) {
                    for (Path modelDir : models) {
                        String name = modelDir.getFileName().toString();
                        if (ModelName.isValid(name)) {
                            scanModel(name, modelDir, found);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + root, e);
        }
        found.sort(Comparator.comparing(StoredVersion::name).thenComparingInt(StoredVersion::version));
        return found;
    }

    private static void scanModel(String name, Path modelDir, List<StoredVersion> found) throws IOException {
        try (Stream<Path> versions = Files.list(modelDir)) {
            for (Path dir : versions.filter(Files::isDirectory).toList()) {
                String v = dir.getFileName().toString();
                if (v.matches("[1-9][0-9]{0,8}")) {
                    found.add(new StoredVersion(name, Integer.parseInt(v), Long.toString(stamp(dir))));
                }
            }
        }
    }

    /** When the version's files last changed, so a failed version is retried only once they do. */
    private static long stamp(Path dir) {
        long stamp = 0;
        for (String f : new String[] {MODEL_FILE, DESCRIPTOR_FILE}) {
            try {
                stamp = Math.max(
                        stamp, Files.getLastModifiedTime(dir.resolve(f)).toMillis());
            } catch (IOException e) {
                // a missing file leaves the stamp as it is
            }
        }
        return stamp;
    }

    /** {@code <root>/<name>/<version>}, or {@code <root>/<version>} in single-model mode. */
    public Path versionDir(String name, int version) {
        return modelDir(name).resolve(Integer.toString(version));
    }

    @Override
    public Path localCopy(StoredVersion version) {
        return versionDir(version.name(), version.version());
    }

    @Override
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

    @Override
    public WrittenVersion writeNewVersion(
            ModelDescriptor descriptor, MultiLayerNetwork network, DataNormalization normalizer) throws IOException {
        return writeVersion(descriptor, zip -> StoreFiles.writeModel(zip, network, normalizer), (dir, versioned) -> {});
    }

    @Override
    public WrittenVersion writeUploadedVersion(ModelDescriptor descriptor, Path modelZip, VersionValidator validate)
            throws IOException {
        return writeVersion(descriptor, zip -> Files.copy(modelZip, zip), validate);
    }

    private synchronized WrittenVersion writeVersion(
            ModelDescriptor descriptor, StoreFiles.ZipWriter writeZip, VersionValidator validate) throws IOException {
        String name = descriptor.name();
        checkWritable("add a version of '" + name + "'");
        Path modelDir = modelDir(name);
        Path tmp = modelDir.resolve(".tmp-" + UUID.randomUUID());
        boolean newModel = !Files.isDirectory(modelDir);
        boolean written = false;
        try {
            ModelDescriptor versioned;
            try {
                Files.createDirectories(modelDir);
                Files.createDirectory(tmp);
                writeZip.write(tmp.resolve(MODEL_FILE));
                versioned = descriptor.withVersion(nextVersion(name));
                Files.writeString(
                        tmp.resolve(DESCRIPTOR_FILE), DescriptorJson.write(versioned) + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                StorageException.throwIfStorage("a new version of '" + name + "'", e, root);
                throw e;
            }
            validate.check(tmp, versioned);
            Path target = modelDir.resolve(Integer.toString(versioned.version()));
            StoreFiles.publish(tmp, target);
            recordVersion(name, versioned.version());
            written = true;
            return new WrittenVersion(versioned, target);
        } finally {
            FileSystemUtils.deleteRecursively(tmp);
            if (newModel && !written) {
                // a refused first version leaves no empty model directory behind
                FileSystemUtils.deleteRecursively(modelDir);
            }
        }
    }

    @Override
    public synchronized void pinDefault(String name, int version) throws IOException {
        checkWritable("change the default of '" + name + "'");
        Path modelDir = modelDir(name);
        Path tmp = modelDir.resolve(".tmp-" + UUID.randomUUID());
        try {
            Files.writeString(tmp, version + "\n", StandardCharsets.UTF_8);
            StoreFiles.moveIntoPlace(tmp, modelDir.resolve(DEFAULT_FILE));
        } catch (IOException e) {
            StorageException.throwIfStorage("the default of '" + name + "'", e, root);
            throw e;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Removes a version directory: renamed away first, so it disappears in one step, then deleted. */
    @Override
    public synchronized void deleteVersion(String name, int version) throws IOException {
        checkWritable("delete a version of '" + name + "'");
        Path dir = versionDir(name, version);
        Path trash = modelDir(name).resolve(".deleted-" + UUID.randomUUID());
        StoreFiles.moveIntoPlace(dir, trash);
        FileSystemUtils.deleteRecursively(trash);
    }

    @Override
    public synchronized void unpinDefault(String name) throws IOException {
        checkWritable("forget the default of '" + name + "'");
        Files.deleteIfExists(modelDir(name).resolve(DEFAULT_FILE));
    }

    @Override
    public void removeLeftovers() {
        if (!readOnly()) {
            StoreLeftovers.remove(root, singleModel != null, LEFTOVER_AGE);
        }
    }

    /**
     * One more than any version this model ever had: the highest on disk, or the highest recorded
     * in {@code .last-version}, which outlives deleted versions so their numbers are never reused.
     */
    private int nextVersion(String name) {
        int onDisk = scan().stream()
                .filter(v -> v.name().equals(name))
                .mapToInt(StoredVersion::version)
                .max()
                .orElse(0);
        int recorded = StoreFiles.readNumber(modelDir(name).resolve(LAST_VERSION_FILE));
        return Math.max(onDisk, recorded) + 1;
    }

    private void recordVersion(String name, int version) throws IOException {
        StoreFiles.writeNumber(modelDir(name).resolve(LAST_VERSION_FILE), version);
    }
}
