package io.github.dl4jserving.registry.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.springframework.util.FileSystemUtils;

/**
 * The local copies of the bucket's versions, which the registry loads ({@code
 * <models-dir>/.s3-cache}): each version's files with a stamp of the objects' ETags, so a copy is
 * used again only while it holds exactly what the bucket lists. A copy is put in place whole, by one
 * rename of a complete temporary directory.
 */
final class S3Cache {
    private static final String STAMP_FILE = ".stamp";

    /** Fills a new copy's directory with the version's files. */
    interface Fill {
        void into(Path dir) throws IOException;
    }

    private final Path root;

    S3Cache(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    /** Where version {@code version} of {@code name} is kept; the name must be a checked one. */
    Path dir(String name, int version) {
        return root.resolve(name).resolve(Integer.toString(version));
    }

    /** A new temporary directory beside {@code name}'s versions. */
    Path newTemp(String name) throws IOException {
        return Files.createDirectories(root.resolve(name).resolve(".tmp-" + UUID.randomUUID()));
    }

    /** The copy in {@code dir} if it holds the objects of {@code stamp}; else filled, stamped and put there. */
    synchronized Path copy(Path dir, String stamp, Fill fill) throws IOException {
        Path stampFile = dir.resolve(STAMP_FILE);
        if (Files.isRegularFile(stampFile)
                && Files.readString(stampFile, StandardCharsets.UTF_8).equals(stamp)) {
            return dir;
        }
        Path tmp = Files.createDirectories(dir.resolveSibling(".tmp-" + UUID.randomUUID()));
        try {
            fill.into(tmp);
            install(tmp, stamp, dir);
            return dir;
        } finally {
            FileSystemUtils.deleteRecursively(tmp);
        }
    }

    /** Stamps the complete copy in {@code tmp} and replaces the one at {@code dir} with it, in one rename. */
    synchronized void install(Path tmp, String stamp, Path dir) throws IOException {
        Files.writeString(tmp.resolve(STAMP_FILE), stamp, StandardCharsets.UTF_8);
        FileSystemUtils.deleteRecursively(dir);
        StoreFiles.moveIntoPlace(tmp, dir);
    }

    synchronized void delete(Path dir) throws IOException {
        FileSystemUtils.deleteRecursively(dir);
    }
}
