package io.github.dl4jserving.registry;

import java.time.Instant;

/**
 * One version and its memory: whether it is loaded, what it holds (or held when last loaded; 0
 * before its first load) and when a request last used it (null: never).
 */
public record VersionState(ModelDescriptor descriptor, boolean loaded, long bytes, Instant lastUsed) {
    static VersionState of(VersionIndex.Entry e) {
        Resident r = e.resident;
        long used = e.lastUsed;
        return new VersionState(
                e.descriptor,
                r != null,
                r != null ? r.bytes() : e.bytes,
                used == 0 ? null : Instant.now().minusNanos(System.nanoTime() - used));
    }
}
