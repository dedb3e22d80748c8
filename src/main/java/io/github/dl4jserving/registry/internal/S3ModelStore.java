package io.github.dl4jserving.registry.internal;

import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.StoreUnavailableException;
import io.github.dl4jserving.registry.VersionId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The store in an S3-compatible bucket, in the file store's layout:
 * {@code <prefix><name>/<version>/model.zip}, {@code .../model.json} and
 * {@code <prefix><name>/default-version}, as Triton keeps a model repository on S3.
 *
 * <p>A version is written in three steps. First its number is claimed (see {@link S3VersionClaims#claim}: a
 * conditional put, then a claim of the writer's own that must be the only one), so two writers never
 * get the same number. Then {@code model.zip} is uploaded, and {@code model.json} last: it is the
 * version's marker, and {@link #scan} lists only versions that have both files. A writer killed
 * half-way leaves a claim, maybe a {@code model.zip}, never a visible version. Deleting removes the
 * marker first; the claim stays, so the number is never given out again.
 *
 * <p>The registry loads versions from a local cache ({@code <models-dir>/.s3-cache}), filled on
 * first use and checked against the objects' ETags.
 */
public class S3ModelStore extends BaseModelStore {
    private static final Logger log = LoggerFactory.getLogger(S3ModelStore.class);
    static final String CLAIM_FILE = S3VersionClaims.CLAIM_FILE;
    private static final Duration LEFTOVER_AGE = Duration.ofMinutes(10);

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final S3Cache cache;
    private final S3VersionClaims claims;

    public S3ModelStore(S3Client s3, String bucket, String prefix, Path cache, String singleModel, boolean readOnly) {
        super(singleModel, readOnly);
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("dl4j-serving.registry.s3.bucket must name the bucket of the models");
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix == null || prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        this.cache = new S3Cache(cache);
        this.claims = new S3VersionClaims(s3, bucket, this::key, this::unavailable);
    }

    @Override
    public String location() {
        return "s3://" + bucket + "/" + prefix + modeSuffix();
    }

    /** The key of {@code rest} within model {@code name}'s folder. */
    private String key(String name, String rest) {
        if (!holds(name)) {
            throw new IllegalArgumentException("Invalid model name");
        }
        return prefix + (singleModel == null ? name + "/" : "") + rest;
    }

    private String key(String name, int version, String file) {
        return key(name, version + "/" + file);
    }

    private StoreUnavailableException unavailable(String what, SdkException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (reason.length() > 200) {
            reason = reason.substring(0, 200) + "...";
        }
        return new StoreUnavailableException(
                "The model store " + location() + " could not " + what + ": " + reason
                        + ". Nothing was changed; the loaded versions keep serving.",
                e);
    }

    /** Runs a call to the bucket; its failure is the store's {@link StoreUnavailableException} for {@code what}. */
    private void call(String what, Runnable action) {
        try {
            action.run();
        } catch (SdkException e) {
            throw unavailable(what, e);
        }
    }

    private S3Listing list() {
        return S3Listing.read(s3, bucket, prefix, singleModel, this::unavailable);
    }

    @Override
    public List<StoredVersion> scan() {
        Map<VersionId, Map<String, S3Object>> files = list().byVersion();
        List<StoredVersion> found = new ArrayList<>();
        for (Map.Entry<VersionId, Map<String, S3Object>> v : files.entrySet()) {
            S3Object zip = v.getValue().get(MODEL_FILE);
            S3Object json = v.getValue().get(DESCRIPTOR_FILE);
            if (zip != null && json != null) { // model.json is written last: without it, still being written
                found.add(new StoredVersion(v.getKey().name(), v.getKey().version(), json.eTag() + "/" + zip.eTag()));
            }
        }
        found.sort(Comparator.comparing(StoredVersion::name).thenComparingInt(StoredVersion::version));
        return found;
    }

    private Path cacheDir(String name, int version) {
        key(name, ""); // checks the name
        return cache.dir(name, version);
    }

    /** Downloads the version into the cache unless the cache already holds these exact objects. */
    @Override
    public Path localCopy(StoredVersion version) throws IOException {
        try {
            return cache.copy(cacheDir(version.name(), version.version()), version.stamp(), tmp -> {
                for (String file : new String[] {DESCRIPTOR_FILE, MODEL_FILE}) {
                    s3.getObject(
                            r -> r.bucket(bucket).key(key(version.name(), version.version(), file)),
                            ResponseTransformer.toFile(tmp.resolve(file)));
                }
            });
        } catch (SdkException e) {
            throw unavailable("download " + version.name() + " version " + version.version(), e);
        }
    }

    @Override
    public Optional<Integer> pinnedDefault(String name) {
        try {
            ResponseBytes<GetObjectResponse> pin =
                    s3.getObjectAsBytes(r -> r.bucket(bucket).key(key(name, DEFAULT_FILE)));
            return Optional.of(Integer.parseInt(pin.asUtf8String().trim()));
        } catch (NoSuchKeyException | NumberFormatException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw unavailable("read the default of '" + name + "'", e);
        }
    }

    @Override
    public void pinDefault(String name, int version) {
        checkWritable("change the default of '" + name + "'");
        call(
                "store the default of '" + name + "'",
                () -> s3.putObject(
                        r -> r.bucket(bucket).key(key(name, DEFAULT_FILE)), RequestBody.fromString(version + "\n")));
    }

    @Override
    public void unpinDefault(String name) {
        checkWritable("forget the default of '" + name + "'");
        call(
                "forget the default of '" + name + "'",
                () -> s3.deleteObject(r -> r.bucket(bucket).key(key(name, DEFAULT_FILE))));
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

    private WrittenVersion writeVersion(
            ModelDescriptor descriptor, StoreFiles.ZipWriter writeZip, VersionValidator validate) throws IOException {
        String name = descriptor.name();
        checkWritable("add a version of '" + name + "'");
        Path tmp = cache.newTemp(name);
        try {
            writeZip.write(tmp.resolve(MODEL_FILE));
            int version = claims.claimNext(name, list().highestNumber(name));
            ModelDescriptor versioned = descriptor.withVersion(version);
            Files.writeString(
                    tmp.resolve(DESCRIPTOR_FILE), DescriptorJson.write(versioned) + "\n", StandardCharsets.UTF_8);
            validate.check(tmp, versioned);
            String stamp = upload(name, version, tmp);
            Path dir = cacheDir(name, version);
            cache.install(tmp, stamp, dir);
            return new WrittenVersion(versioned, dir);
        } finally {
            FileSystemUtils.deleteRecursively(tmp);
        }
    }

    /** Uploads a version's two files, the marker (model.json) last; returns the stamp {@link #scan} will list. */
    private String upload(String name, int version, Path dir) {
        String zipKey = key(name, version, MODEL_FILE);
        try {
            String zipTag = s3.putObject(
                            r -> r.bucket(bucket).key(zipKey), RequestBody.fromFile(dir.resolve(MODEL_FILE)))
                    .eTag();
            String jsonTag = s3.putObject(
                            r -> r.bucket(bucket).key(key(name, version, DESCRIPTOR_FILE)),
                            RequestBody.fromFile(dir.resolve(DESCRIPTOR_FILE)))
                    .eTag();
            return jsonTag + "/" + zipTag;
        } catch (SdkException e) {
            try {
                s3.deleteObject(r -> r.bucket(bucket).key(zipKey));
            } catch (SdkException again) {
                // removeLeftovers takes it later; without its marker it is never loaded
            }
            throw unavailable("store " + name + " version " + version, e);
        }
    }

    /** Claims number {@code version} of {@code name} for this writer; see {@link S3VersionClaims#claim}. */
    boolean claim(String name, int version) {
        return claims.claim(name, version);
    }

    @Override
    public void deleteVersion(String name, int version) throws IOException {
        checkWritable("delete a version of '" + name + "'");
        call("delete " + name + " version " + version, () -> {
            s3.deleteObject(r -> r.bucket(bucket).key(key(name, version, DESCRIPTOR_FILE)));
            s3.deleteObject(r -> r.bucket(bucket).key(key(name, version, MODEL_FILE)));
        });
        cache.delete(cacheDir(name, version));
    }

    @Override
    public List<StoredVersion> seedFrom(Path seeds) throws IOException {
        if (readOnly() || !Files.isDirectory(seeds)) {
            return List.of();
        }
        FileModelStore seedStore = new FileModelStore(seeds);
        S3Listing listing = list();
        List<StoredVersion> copied = new ArrayList<>();
        for (StoredVersion seed : seedStore.scan()) {
            if ((singleModel != null && !singleModel.equals(seed.name()))
                    || seed.version() <= listing.highestNumber(seed.name())
                    || !claim(seed.name(), seed.version())) {
                continue; // had it once, or another replica is seeding it right now
            }
            upload(seed.name(), seed.version(), seedStore.versionDir(seed.name(), seed.version()));
            copied.add(seed);
        }
        return copied;
    }

    /**
     * Deletes the {@code model.zip} of versions that never got their marker (a writer died between
     * the two uploads) once they are old enough, and the cache's temporary directories. Claims stay.
     */
    @Override
    public void removeLeftovers() {
        try {
            StoreLeftovers.remove(cache.root(), false, Duration.ofMinutes(1));
        } catch (RuntimeException e) {
            log.debug("Could not clean {}", cache.root(), e);
        }
        if (readOnly()) {
            return;
        }
        try {
            for (S3Object zip : list().unmarkedZipsBefore(Instant.now().minus(LEFTOVER_AGE))) {
                s3.deleteObject(r -> r.bucket(bucket).key(zip.key()));
                log.info("Removed {}, a version whose writer stopped before its marker", zip.key());
            }
        } catch (StoreUnavailableException | SdkException e) {
            log.debug("Could not clean {}", location(), e);
        }
    }
}
