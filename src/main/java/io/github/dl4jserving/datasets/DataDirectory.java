package io.github.dl4jserving.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory the service reads data sets from. A file that is not there is downloaded from its
 * public URL into a temporary file, checked against its published sha256 and only then moved into
 * place, so a failed or tampered download never leaves a file that looks valid.
 */
public class DataDirectory {
    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);

    private final Path root;
    private final Function<DatasetFile, URI> urls;
    private final HttpClient http;

    public DataDirectory(Path root) {
        this(root, DatasetFile::url);
    }

    /** With {@code urls} the download location can be changed, for a mirror or a test server. */
    public DataDirectory(Path root, Function<DatasetFile, URI> urls) {
        this.root = root.toAbsolutePath().normalize();
        this.urls = urls;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    public Path root() {
        return root;
    }

    /** The local path of {@code file}, downloading and verifying it first when it is missing. */
    public Path resolve(DatasetFile file) {
        Path target = root.resolve(file.relativePath());
        if (Files.isRegularFile(target)) {
            return target;
        }
        download(file, target);
        return target;
    }

    /** The sha256 of a file on disk, as lower-case hex. */
    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), newDigest())) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of()
                    .formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new DatasetUnavailableException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void download(DatasetFile file, Path target) {
        URI url = urls.apply(file);
        String fix = "Put " + file.relativePath() + " (sha256 " + file.sha256() + ") into " + root
                + " or set dl4j-serving.data-dir to a directory that holds it.";
        log.info("{} is missing from {}; downloading {}", file.relativePath(), root, url);
        Path partial = null;
        try {
            Files.createDirectories(target.getParent());
            partial = Files.createTempFile(target.getParent(), ".download-", ".part");
            HttpResponse<Path> response = http.send(
                    HttpRequest.newBuilder(url)
                            .timeout(Duration.ofMinutes(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofFile(partial));
            if (response.statusCode() != 200) {
                throw new DatasetUnavailableException("Downloading " + file.relativePath() + " from " + url
                        + " failed with HTTP " + response.statusCode() + ". " + fix);
            }
            String actual = sha256(partial);
            if (!actual.equals(file.sha256())) {
                throw new DatasetUnavailableException("The download of " + file.relativePath() + " from " + url
                        + " has sha256 " + actual + ", expected " + file.sha256() + ". " + fix);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            partial = null;
            return;
        } catch (IOException e) {
            throw new DatasetUnavailableException(
                    "Could not download " + file.relativePath() + " from " + url + " (" + e + "). " + fix, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetUnavailableException("Interrupted while downloading " + file.relativePath(), e);
        } finally {
            if (partial != null) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    // best effort: a leftover .part file is never mistaken for the data file
                }
            }
        }
    }

    /** The sha256 of {@code parts} one after another, as lower-case hex. */
    public static String sha256(byte[]... parts) {
        MessageDigest md = newDigest();
        for (byte[] p : parts) {
            md.update(p);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
