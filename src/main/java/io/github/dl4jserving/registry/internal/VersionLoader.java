package io.github.dl4jserving.registry.internal;

import io.github.dl4jserving.registry.InvalidModelException;
import io.github.dl4jserving.registry.LoadedModel;
import io.github.dl4jserving.registry.ModelConflictException;
import io.github.dl4jserving.registry.ModelDescriptor;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one version directory into memory, through DL4J's ModelSerializer only, after checking that
 * its descriptor belongs there; and says why one could not be read, in words fit for a report.
 */
public final class VersionLoader {
    private static final Logger log = LoggerFactory.getLogger(VersionLoader.class);

    private VersionLoader() {}

    /**
     * The version {@code stored}, from its files in {@code dir}, its descriptor checked against the
     * place it lies in the store.
     */
    public static LoadedModel read(ModelStore.StoredVersion stored, Path dir) throws IOException {
        long start = System.nanoTime();
        return restore(describe(stored, dir), dir, start);
    }

    /**
     * The descriptor of the version {@code stored}, from its {@code model.json} in {@code dir},
     * checked against the place it lies in the store; its network is not read.
     */
    public static ModelDescriptor describe(ModelStore.StoredVersion stored, Path dir) throws IOException {
        ModelDescriptor descriptor = DescriptorJson.read(dir.resolve(ModelStore.DESCRIPTOR_FILE));
        if (!stored.name().equals(descriptor.name()) || stored.version() != descriptor.version()) {
            throw new IOException("model.json names " + descriptor.name() + " version " + descriptor.version()
                    + " but lies in " + stored.name() + "/" + stored.version());
        }
        if (descriptor.kind() == null || descriptor.input() == null) {
            throw new IOException("model.json lacks the kind or the input schema");
        }
        if (!Files.isRegularFile(dir.resolve(ModelStore.MODEL_FILE))) {
            throw new NoSuchFileException(dir.resolve(ModelStore.MODEL_FILE).toString());
        }
        return descriptor;
    }

    /**
     * Writes an uploaded {@code model.zip} into {@code store} as the next version, which becomes
     * visible only once it restores through ModelSerializer and passes {@code check}. Returns it loaded.
     */
    public static LoadedModel writeUploaded(
            ModelStore store, ModelDescriptor descriptor, Path modelZip, Consumer<LoadedModel> check)
            throws IOException {
        long start = System.nanoTime();
        AtomicReference<LoadedModel> validated = new AtomicReference<>();
        ModelStore.WrittenVersion written;
        try {
            written = store.writeUploadedVersion(descriptor, modelZip, (dir, versioned) -> {
                try {
                    LoadedModel candidate = restore(versioned, dir, System.nanoTime());
                    validated.set(candidate);
                    check.accept(candidate);
                } catch (InvalidModelException e) {
                    throw new InvalidModelException(e.field(), "The uploaded model was refused: " + e.getMessage());
                } catch (ModelConflictException e) {
                    throw e;
                } catch (IOException | RuntimeException e) {
                    // DL4J's messages name classes and files; the client gets the gist, the log the detail.
                    log.info("An uploaded {} did not restore through ModelSerializer", descriptor.name(), e);
                    throw new InvalidModelException("The uploaded model was refused: DL4J's ModelSerializer "
                            + "could not restore a network from it.");
                }
            });
        } catch (IOException | RuntimeException e) {
            if (validated.get() != null) {
                validated.get().network().close();
            }
            throw e;
        }
        return new LoadedModel(
                written.descriptor(),
                validated.get().network(),
                validated.get().normalizer(),
                written.directory(),
                (System.nanoTime() - start) / 1e9);
    }

    /** The network and normalizer of {@code dir}'s model.zip under {@code descriptor}. */
    public static LoadedModel restore(ModelDescriptor descriptor, Path dir, long startNanos) throws IOException {
        ModelArchive.Contents contents = ModelArchive.read(dir.resolve(ModelStore.MODEL_FILE));
        return new LoadedModel(
                descriptor, contents.network(), contents.normalizer(), dir, (System.nanoTime() - startNanos) / 1e9);
    }

    /** Why a version could not be read: at most 300 characters, with files named relative to {@code root}. */
    public static String reason(Throwable e, Path root) {
        return reason(e, root.toString());
    }

    /** Why a version could not be read: at most 300 characters, with {@code root} cut from file names. */
    public static String reason(Throwable e, String root) {
        String reason;
        if (e instanceof NoSuchFileException missing) {
            reason = "missing file " + missing.getFile();
        } else {
            String message =
                    e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            reason = message.length() > 300 ? message.substring(0, 300) + "..." : message;
        }
        return reason.replace(root + File.separator, "").replace(root, "");
    }
}
