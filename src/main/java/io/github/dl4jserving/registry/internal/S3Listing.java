package io.github.dl4jserving.registry.internal;

import io.github.dl4jserving.registry.VersionId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** One listing of the store's objects: which model, version and file each one is, by the store's layout. */
final class S3Listing {
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,8}");

    /** One object under the prefix that is one of ours. */
    record Entry(String name, int version, String file, S3Object object) {}

    private final List<Entry> entries;

    private S3Listing(List<Entry> entries) {
        this.entries = entries;
    }

    /**
     * Lists {@code bucket} under {@code prefix}: {@code <name>/<version>/<file>}, or {@code
     * <version>/<file>} for a store of {@code singleModel} alone.
     */
    static S3Listing read(
            S3Client s3, String bucket, String prefix, String singleModel, S3VersionClaims.Failures failures) {
        List<Entry> entries = new ArrayList<>();
        Pattern shape = singleModel == null
                ? Pattern.compile("([a-z0-9][a-z0-9-]{0,63})/([^/]+)/([^/]+)")
                : Pattern.compile("()([^/]+)/([^/]+)");
        try {
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix))
                    .contents()) {
                Matcher m = shape.matcher(o.key().substring(prefix.length()));
                if (m.matches() && VERSION.matcher(m.group(2)).matches()) {
                    String name = singleModel == null ? m.group(1) : singleModel;
                    entries.add(new Entry(name, Integer.parseInt(m.group(2)), m.group(3), o));
                }
            }
        } catch (SdkException e) {
            throw failures.unavailable("list the models", e);
        }
        return new S3Listing(entries);
    }

    /** Each version's objects by file name. */
    Map<VersionId, Map<String, S3Object>> byVersion() {
        Map<VersionId, Map<String, S3Object>> files = new HashMap<>();
        for (Entry e : entries) {
            files.computeIfAbsent(new VersionId(e.name(), e.version()), k -> new HashMap<>())
                    .put(e.file(), e.object());
        }
        return files;
    }

    /** The highest number {@code name} was ever given: claims count, so a deleted number is not given again. */
    int highestNumber(String name) {
        return entries.stream()
                .filter(e -> e.name().equals(name))
                .mapToInt(Entry::version)
                .max()
                .orElse(0);
    }

    /** The {@code model.zip} objects older than {@code cutoff} of versions that have no marker. */
    List<S3Object> unmarkedZipsBefore(Instant cutoff) {
        List<S3Object> unmarked = new ArrayList<>();
        for (Map<String, S3Object> files : byVersion().values()) {
            S3Object zip = files.get(ModelStore.MODEL_FILE);
            if (zip != null
                    && !files.containsKey(ModelStore.DESCRIPTOR_FILE)
                    && zip.lastModified().isBefore(cutoff)) {
                unmarked.add(zip);
            }
        }
        return unmarked;
    }
}
