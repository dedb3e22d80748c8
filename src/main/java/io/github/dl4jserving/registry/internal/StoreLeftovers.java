package io.github.dl4jserving.registry.internal;

import io.github.dl4jserving.registry.ModelName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.util.FileSystemUtils;

/** What writers killed mid-write left in a store: hidden, never loaded, and removed once old enough. */
public final class StoreLeftovers {
    private StoreLeftovers() {}

    /**
     * Deletes what a killed writer left behind: {@code .tmp-*} version directories and pin files,
     * and {@code .deleted-*} directories, older than {@code minAge} (younger ones may belong to a
     * replica writing right now). They are never visible as versions either way.
     *
     * @param singleModel whether {@code root} holds one model's versions directly
     */
    public static void remove(Path root, boolean singleModel, Duration minAge) {
        if (!Files.isDirectory(root)) {
            return;
        }
        long cutoff = System.currentTimeMillis() - minAge.toMillis();
        try {
            List<Path> modelDirs = new ArrayList<>();
            if (singleModel) {
                modelDirs.add(root);
            } else {
                try (DirectoryStream<Path> models = Files.newDirectoryStream(root, Files::isDirectory)) {
                    for (Path modelDir : models) {
                        if (ModelName.isValid(modelDir.getFileName().toString())) {
                            modelDirs.add(modelDir);
                        }
                    }
                }
            }
            for (Path modelDir : modelDirs) {
                try (Stream<Path> entries = Files.list(modelDir)) {
                    for (Path p : entries.toList()) {
                        String n = p.getFileName().toString();
                        if ((n.startsWith(".tmp-") || n.startsWith(".deleted-"))
                                && Files.getLastModifiedTime(p).toMillis() < cutoff) {
                            FileSystemUtils.deleteRecursively(p);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clean " + root, e);
        }
    }
}
