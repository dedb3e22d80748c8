package io.github.dl4jserving.registry.internal;

import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.RegistrySettings;
import io.github.dl4jserving.registry.StoreUnavailableException;
import io.github.dl4jserving.registry.VersionId;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The store in an S3-compatible bucket, in the file store's layout:
 * {@code <prefix><name>/<version>/model.zip}, {@code .../model.json} and
 * {@code <prefix><name>/default-version}, as Triton keeps a model repository on S3.
 *
 * <p>A version is written in three steps. First its number is claimed (see {@link #claim}: a
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
    static final String CLAIM_FILE = ".claim";
    private static final String STAMP_FILE = ".stamp";
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,8}");
    private static final Duration LEFTOVER_AGE = Duration.ofMinutes(10);

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Path cache;

    public S3ModelStore(S3Client s3, String bucket, String prefix, Path cache, String singleModel, boolean readOnly) {
        super(singleModel, readOnly);
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("dl4j-serving.registry.s3.bucket must name the bucket of the models");
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix == null || prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        this.cache = cache.toAbsolutePath().normalize();
    }

    /** An S3 client for {@code settings}: endpoint override, path-style access, the SDK's default credentials. */
    public static S3Client client(RegistrySettings.S3 settings) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyle())
                // Plain S3: the SDK's newer default checksums (aws-chunked uploads with trailing CRCs)
                // are not implemented by every S3-compatible server.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60)))
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofMinutes(5)));
        if (settings.endpoint() != null && !settings.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(settings.endpoint()));
        }
        return builder.build();
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

    /** One object under the prefix: which model, version and file it is, when it is one of ours. */
    private record Entry(String name, int version, String file, S3Object object) {}

    private List<Entry> list() {
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
            throw unavailable("list the models", e);
        }
        return entries;
    }

    @Override
    public List<StoredVersion> scan() {
        Map<VersionId, Map<String, S3Object>> files = new HashMap<>();
        for (Entry e : list()) {
            files.computeIfAbsent(new VersionId(e.name(), e.version()), k -> new HashMap<>())
                    .put(e.file(), e.object());
        }
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
        return cache.resolve(name).resolve(Integer.toString(version));
    }

    /** Downloads the version into the cache unless the cache already holds these exact objects. */
    @Override
    public synchronized Path localCopy(StoredVersion version) throws IOException {
        Path dir = cacheDir(version.name(), version.version());
        Path stampFile = dir.resolve(STAMP_FILE);
        if (Files.isRegularFile(stampFile)
                && Files.readString(stampFile, StandardCharsets.UTF_8).equals(version.stamp())) {
            return dir;
        }
        Path tmp = dir.resolveSibling(".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(tmp);
            for (String file : new String[] {DESCRIPTOR_FILE, MODEL_FILE}) {
                s3.getObject(
                        r -> r.bucket(bucket).key(key(version.name(), version.version(), file)),
                        ResponseTransformer.toFile(tmp.resolve(file)));
            }
            Files.writeString(tmp.resolve(STAMP_FILE), version.stamp(), StandardCharsets.UTF_8);
            installInCache(tmp, dir);
            return dir;
        } catch (SdkException e) {
            throw unavailable("download " + version.name() + " version " + version.version(), e);
        } finally {
            FileSystemUtils.deleteRecursively(tmp);
        }
    }

    /** Replaces the cached copy at {@code dir} with the complete one in {@code tmp}, in one rename. */
    private synchronized void installInCache(Path tmp, Path dir) throws IOException {
        FileSystemUtils.deleteRecursively(dir);
        FileModelStore.moveIntoPlace(tmp, dir);
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
        try {
            s3.putObject(r -> r.bucket(bucket).key(key(name, DEFAULT_FILE)), RequestBody.fromString(version + "\n"));
        } catch (SdkException e) {
            throw unavailable("store the default of '" + name + "'", e);
        }
    }

    @Override
    public void unpinDefault(String name) {
        checkWritable("forget the default of '" + name + "'");
        try {
            s3.deleteObject(r -> r.bucket(bucket).key(key(name, DEFAULT_FILE)));
        } catch (SdkException e) {
            throw unavailable("forget the default of '" + name + "'", e);
        }
    }

    @Override
    public WrittenVersion writeNewVersion(
            ModelDescriptor descriptor, MultiLayerNetwork network, DataNormalization normalizer) throws IOException {
        return writeVersion(
                descriptor, zip -> FileModelStore.writeModel(zip, network, normalizer), (dir, versioned) -> {});
    }

    @Override
    public WrittenVersion writeUploadedVersion(ModelDescriptor descriptor, Path modelZip, VersionValidator validate)
            throws IOException {
        return writeVersion(descriptor, zip -> Files.copy(modelZip, zip), validate);
    }

    private WrittenVersion writeVersion(
            ModelDescriptor descriptor, FileModelStore.ZipWriter writeZip, VersionValidator validate)
            throws IOException {
        String name = descriptor.name();
        checkWritable("add a version of '" + name + "'");
        Path tmp = cache.resolve(name).resolve(".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(tmp);
            writeZip.write(tmp.resolve(MODEL_FILE));
            int version = claimNext(name);
            ModelDescriptor versioned = descriptor.withVersion(version);
            Files.writeString(
                    tmp.resolve(DESCRIPTOR_FILE), DescriptorJson.write(versioned) + "\n", StandardCharsets.UTF_8);
            validate.check(tmp, versioned);
            String stamp = upload(name, version, tmp);
            Files.writeString(tmp.resolve(STAMP_FILE), stamp, StandardCharsets.UTF_8);
            Path dir = cacheDir(name, version);
            installInCache(tmp, dir);
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

    /** Claims the lowest number above every number {@code name} was ever given here. */
    private int claimNext(String name) {
        int next = highestNumber(name, list()) + 1;
        for (int attempt = 0; attempt < 20; attempt++, next++) {
            if (claim(name, next)) {
                return next;
            }
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(20 * (attempt + 1)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new StoreUnavailableException(
                "Could not claim a version number of '" + name + "': 20 other writers were faster. Try again.", null);
    }

    private int highestNumber(String name, List<Entry> entries) {
        return entries.stream()
                .filter(e -> e.name().equals(name))
                .mapToInt(Entry::version)
                .max()
                .orElse(0);
    }

    /**
     * Claims number {@code version} of {@code name} for this writer, and says whether it got it. Two
     * steps, so that two writers never both get a number:
     *
     * <ol>
     *   <li>{@code <name>/<version>/.claim} is created with {@code If-None-Match: *}; a store that
     *       honours it atomically (AWS S3 since 2024, MinIO, Ceph) refuses the second writer here
     *       with 412.
     *   <li>The writer then adds {@code .claim-<token>}, a key of its own, and lists the version's
     *       claims: it holds the number only if its claim is the only one. S3's listings are strongly
     *       consistent, so of two writers the later one always sees the earlier one's claim; two
     *       writers at the same instant both step back and try the next number. This step is what
     *       makes stores that ignore the header, or check it apart from the write (s3proxy 2.7.0's
     *       filesystem backend gave 4 duplicates in 24 concurrent claims without it), safe.
     * </ol>
     *
     * A number whose claim was lost is never used; gaps in the numbering are expected.
     */
    boolean claim(String name, int version) {
        String token = UUID.randomUUID().toString();
        try {
            s3.putObject(
                    PutObjectRequest.builder()
                            .bucket(bucket)
                            .key(key(name, version, CLAIM_FILE))
                            .ifNoneMatch("*")
                            .build(),
                    RequestBody.fromString(token + " " + Instant.now()));
            String own = key(name, version, CLAIM_FILE + "-" + token);
            s3.putObject(r -> r.bucket(bucket).key(own), RequestBody.fromString(token));
            List<String> claims = new ArrayList<>();
            s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(key(name, version, CLAIM_FILE + "-")))
                    .contents()
                    .forEach(o -> claims.add(o.key()));
            return claims.equals(List.of(own));
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return false; // someone else holds this number
            }
            throw unavailable("claim " + name + " version " + version, e);
        } catch (SdkException e) {
            throw unavailable("claim " + name + " version " + version, e);
        }
    }

    @Override
    public void deleteVersion(String name, int version) throws IOException {
        checkWritable("delete a version of '" + name + "'");
        try {
            s3.deleteObject(r -> r.bucket(bucket).key(key(name, version, DESCRIPTOR_FILE)));
            s3.deleteObject(r -> r.bucket(bucket).key(key(name, version, MODEL_FILE)));
        } catch (SdkException e) {
            throw unavailable("delete " + name + " version " + version, e);
        }
        synchronized (this) {
            FileSystemUtils.deleteRecursively(cacheDir(name, version));
        }
    }

    @Override
    public List<StoredVersion> seedFrom(Path seeds) throws IOException {
        if (readOnly() || !Files.isDirectory(seeds)) {
            return List.of();
        }
        FileModelStore seedStore = new FileModelStore(seeds);
        List<Entry> entries = list();
        List<StoredVersion> copied = new ArrayList<>();
        for (StoredVersion seed : seedStore.scan()) {
            if ((singleModel != null && !singleModel.equals(seed.name()))
                    || seed.version() <= highestNumber(seed.name(), entries)
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
            StoreLeftovers.remove(cache, false, Duration.ofMinutes(1));
        } catch (RuntimeException e) {
            log.debug("Could not clean {}", cache, e);
        }
        if (readOnly()) {
            return;
        }
        try {
            Map<VersionId, List<Entry>> byVersion = new HashMap<>();
            for (Entry e : list()) {
                byVersion
                        .computeIfAbsent(new VersionId(e.name(), e.version()), k -> new ArrayList<>())
                        .add(e);
            }
            Instant cutoff = Instant.now().minus(LEFTOVER_AGE);
            for (List<Entry> files : byVersion.values()) {
                boolean marked = files.stream().anyMatch(e -> e.file().equals(DESCRIPTOR_FILE));
                for (Entry e : files) {
                    if (!marked
                            && e.file().equals(MODEL_FILE)
                            && e.object().lastModified().isBefore(cutoff)) {
                        s3.deleteObject(r -> r.bucket(bucket).key(e.object().key()));
                        log.info(
                                "Removed {}, a version whose writer stopped before its marker",
                                e.object().key());
                    }
                }
            }
        } catch (StoreUnavailableException | SdkException e) {
            log.debug("Could not clean {}", location(), e);
        }
    }
}
