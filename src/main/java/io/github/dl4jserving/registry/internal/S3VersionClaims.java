package io.github.dl4jserving.registry.internal;

import io.github.dl4jserving.registry.StoreUnavailableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** How writers sharing a bucket agree on version numbers: each number is claimed by one writer only. */
final class S3VersionClaims {
    static final String CLAIM_FILE = ".claim";

    /** The object key of {@code file} in version {@code version} of {@code name}. */
    interface Keys {
        String key(String name, int version, String file);
    }

    /** The store's refusal when the bucket fails {@code what}. */
    interface Failures {
        StoreUnavailableException unavailable(String what, SdkException e);
    }

    private final S3Client s3;
    private final String bucket;
    private final Keys keys;
    private final Failures failures;

    S3VersionClaims(S3Client s3, String bucket, Keys keys, Failures failures) {
        this.s3 = s3;
        this.bucket = bucket;
        this.keys = keys;
        this.failures = failures;
    }

    /** Claims the lowest free number above {@code highest}, the highest {@code name} was ever given. */
    int claimNext(String name, int highest) {
        int next = highest + 1;
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
                            .key(keys.key(name, version, CLAIM_FILE))
                            .ifNoneMatch("*")
                            .build(),
                    RequestBody.fromString(token + " " + Instant.now()));
            String own = keys.key(name, version, CLAIM_FILE + "-" + token);
            s3.putObject(r -> r.bucket(bucket).key(own), RequestBody.fromString(token));
            List<String> claims = new ArrayList<>();
            s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(keys.key(name, version, CLAIM_FILE + "-")))
                    .contents()
                    .forEach(o -> claims.add(o.key()));
            return claims.equals(List.of(own));
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return false; // someone else holds this number
            }
            throw failures.unavailable("claim " + name + " version " + version, e);
        } catch (SdkException e) {
            throw failures.unavailable("claim " + name + " version " + version, e);
        }
    }
}
