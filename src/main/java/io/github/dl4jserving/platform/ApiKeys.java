package io.github.dl4jserving.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The API key check that every wire shares (HTTP headers in {@link ApiKeyFilter}, gRPC metadata in
 * the gRPC module): which credentials are well formed, which key was presented, and whether it is
 * the configured one. Keys are compared in constant time, as SHA-256 digests so that their lengths
 * do not leak either, and never logged or repeated in an answer.
 */
public final class ApiKeys {
    public static final String MISSING =
            "This request needs the API key: send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.";
    public static final String INVALID = "The API key is not valid.";

    private final byte[] keyDigest;
    private final boolean protectReads;

    public ApiKeys(SecuritySettings settings) {
        this.keyDigest = settings.keyConfigured() ? sha256(settings.apiKey()) : null;
        this.protectReads = settings.protectReads();
    }

    /** Whether a key is configured at all. */
    public boolean configured() {
        return keyDigest != null;
    }

    /** Whether inference and reads need the key too ({@code dl4j-serving.security.protect-reads}) and one is set. */
    public boolean readsNeedKey() {
        return protectReads && keyDigest != null;
    }

    /** Whether {@code presented} is the configured key; false when none is configured. */
    public boolean valid(String presented) {
        return keyDigest != null && presented != null && MessageDigest.isEqual(keyDigest, sha256(presented));
    }

    /**
     * Why the credentials sent cannot be taken, or null: a control character or other byte that no
     * key holds, or two different keys, one in {@code Authorization: Bearer} and one in {@code
     * X-API-Key}. Either value may be null (not sent). The detail never repeats the key.
     */
    public static String credentialProblem(String authorization, String apiKey) {
        if (!printable(authorization) || !printable(apiKey)) {
            return "The Authorization or X-API-Key header holds a control character or a byte outside "
                    + "printable ASCII; an API key has none.";
        }
        String bearer = bearer(authorization);
        if (bearer != null && apiKey != null && !apiKey.isBlank() && !bearer.equals(apiKey.trim())) {
            return "The request carries two different keys, one in 'Authorization: Bearer' and one in "
                    + "'X-API-Key'. Send the key in one of them.";
        }
        return null;
    }

    /** The key presented in {@code Authorization: Bearer} or else in {@code X-API-Key}, or null for none. */
    public static String presented(String authorization, String apiKey) {
        String bearer = bearer(authorization);
        if (bearer != null) {
            return bearer;
        }
        return apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
    }

    private static boolean printable(String header) {
        if (header == null) {
            return true;
        }
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /** The key of an {@code Authorization: Bearer <key>} header, or null for none or another scheme. */
    private static String bearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim()
                : null;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
