package io.github.dl4jserving.registry.internal;

import io.github.dl4jserving.registry.InvalidModelException;
import io.github.dl4jserving.registry.LoadedModel;
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

    /** The version in {@code dir}, its descriptor checked against the directory it lies in. */
    public static LoadedModel read(ModelStore.VersionDirectory dir) throws IOException {
        long start = System.nanoTime();
        ModelDescriptor descriptor = ModelStore.readDescriptor(dir.path());
        if (!dir.name().equals(descriptor.name()) || dir.version() != descriptor.version()) {
            throw new IOException("model.json names " + descriptor.name() + " version " + descriptor.version()
                    + " but lies in " + dir.name() + "/" + dir.version());
        }
        if (descriptor.kind() == null || descriptor.input() == null) {
            throw new IOException("model.json lacks the kind or the input schema");
        }
        return restore(descriptor, dir.path(), start);
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
        ModelDescriptor written;
        try {
            written = store.writeUploadedVersion(descriptor, modelZip, (dir, versioned) -> {
                try {
                    LoadedModel candidate = restore(versioned, dir, System.nanoTime());
                    validated.set(candidate);
                    check.accept(candidate);
                } catch (InvalidModelException e) {
                    throw new InvalidModelException("The uploaded model was refused: " + e.getMessage());
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
                written,
                validated.get().network(),
                validated.get().normalizer(),
                store.root().resolve(written.name()).resolve(Integer.toString(written.version())),
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
        String reason;
        if (e instanceof NoSuchFileException missing) {
            reason = "missing file " + missing.getFile();
        } else {
            String message =
                    e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            reason = message.length() > 300 ? message.substring(0, 300) + "..." : message;
        }
        return reason.replace(root + File.separator, "").replace(root.toString(), "");
    }

    /** When the version's files last changed, so a failed version is retried only once they do. */
    public static long stamp(Path dir) {
        long stamp = 0;
        for (String f : new String[] {ModelStore.MODEL_FILE, ModelStore.DESCRIPTOR_FILE}) {
            try {
                stamp = Math.max(
                        stamp, Files.getLastModifiedTime(dir.resolve(f)).toMillis());
            } catch (IOException e) {
                // a missing file leaves the stamp as it is
            }
        }
        return stamp;
    }
}
