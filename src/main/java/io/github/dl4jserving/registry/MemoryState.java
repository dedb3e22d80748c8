package io.github.dl4jserving.registry;

import java.util.List;

/**
 * The registry's memory: the budget in bytes (null: none), what the loaded versions hold, how many
 * are loaded of how many listed, the loads on demand and the unloads to make room since start, and
 * the models kept loaded.
 */
public record MemoryState(
        Long maxBytes,
        long loadedBytes,
        int loadedVersions,
        int listedVersions,
        long coldStarts,
        long evictions,
        List<String> keepLoaded) {}
