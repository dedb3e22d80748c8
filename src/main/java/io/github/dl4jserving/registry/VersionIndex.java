package io.github.dl4jserving.registry;

import io.github.dl4jserving.registry.ModelRegistry.LoadFailure;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The registry's memory: every version it serves, loaded or not, the pinned defaults as last read
 * from or written to the store, and the versions that failed to load. Requests read it without a
 * lock and never touch the store; it is written only under the registry's lock, except for each
 * version's last use.
 */
final class VersionIndex {
    private final Map<String, NavigableMap<Integer, Entry>> models = new ConcurrentHashMap<>();
    private final Map<VersionId, LoadFailure> failures = new ConcurrentHashMap<>();
    private final Map<String, Integer> pins = new ConcurrentHashMap<>();
    /** Unloaded versions whose networks nobody has released yet (a number can be unloaded twice). */
    private final Map<VersionId, Queue<LoadedModel>> retired = new ConcurrentHashMap<>();

    /**
     * One version the registry serves: its descriptor and the local directory of its files, and its
     * network while it is in memory.
     */
    static final class Entry {
        final ModelDescriptor descriptor;
        final Path directory;
        /** The network in memory, or null while the version is unloaded. */
        volatile Resident resident;
        /** {@link System#nanoTime} of the last request that used it; 0 before the first. */
        volatile long lastUsed;
        /**
         * {@link System#nanoTime} of the request before the last, kept across unloads; 0 before the
         * second request. Written loosely with {@link #lastUsed}: it only orders unloads.
         */
        volatile long usedBefore;
        /** What the version held in memory when it was last loaded; 0 before its first load. */
        volatile long bytes;

        Entry(ModelDescriptor descriptor, Path directory) {
            this.descriptor = descriptor;
            this.directory = directory;
        }

        VersionId id() {
            return new VersionId(descriptor.name(), descriptor.version());
        }

        int version() {
            return descriptor.version();
        }

        boolean loaded() {
            return resident != null;
        }
    }

    /** The model names with at least one version, sorted. */
    List<String> names() {
        return models.keySet().stream().sorted().toList();
    }

    int versionCount() {
        return models.values().stream().mapToInt(Map::size).sum();
    }

    /** Every version of {@code name}, loaded or not, ascending. */
    List<Entry> entries(String name) {
        return List.copyOf(listed(name).values());
    }

    /** Every version of every model. */
    List<Entry> all() {
        return models.values().stream().flatMap(v -> v.values().stream()).toList();
    }

    /** The loaded versions of {@code name}, ascending. */
    List<LoadedModel> loaded(String name) {
        return listed(name).values().stream()
                .map(e -> e.resident)
                .filter(Objects::nonNull)
                .map(Resident::model)
                .toList();
    }

    boolean hasVersions(String name) {
        NavigableMap<Integer, Entry> versions = models.get(name);
        return versions != null && !versions.isEmpty();
    }

    Optional<Entry> entry(VersionId id) {
        NavigableMap<Integer, Entry> versions = models.get(id.name());
        return versions == null ? Optional.empty() : Optional.ofNullable(versions.get(id.version()));
    }

    boolean isListed(VersionId id) {
        return entry(id).isPresent();
    }

    /** The version that serves when none is asked for: the pinned one if it is listed, else the highest. */
    Entry defaultEntry(String name) {
        NavigableMap<Integer, Entry> v = models.get(name);
        if (v == null || v.isEmpty()) {
            throw new ModelNotFoundException(unknownModel(name));
        }
        Integer pinned = pins.get(name);
        Entry e = pinned == null ? null : v.get(pinned);
        return e != null ? e : v.lastEntry().getValue();
    }

    /** {@code version} of {@code name}, or the default version when {@code version} is null. */
    Entry resolve(String name, Integer version) {
        if (version == null) {
            return defaultEntry(name);
        }
        NavigableMap<Integer, Entry> v = listed(name);
        Entry e = v.get(version);
        if (e == null) {
            throw new ModelNotFoundException(
                    "Model '" + name + "' has no version " + version + "; its versions are " + v.keySet() + ".");
        }
        return e;
    }

    private NavigableMap<Integer, Entry> listed(String name) {
        NavigableMap<Integer, Entry> v = models.get(name);
        if (v == null) {
            throw new ModelNotFoundException(unknownModel(name));
        }
        return v;
    }

    /** The pinned default in memory, if any; a model with no version has none. */
    Optional<Integer> pin(String name) {
        return models.containsKey(name) ? Optional.ofNullable(pins.get(name)) : Optional.empty();
    }

    /** The highest version of {@code name}, if any. */
    Optional<Integer> highest(String name) {
        NavigableMap<Integer, Entry> v = models.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.lastKey());
    }

    String unknownModel(String name) {
        String shown = name == null ? "" : name.length() > 64 ? name.substring(0, 64) + "..." : name;
        return "There is no model named '" + shown + "'. Models: " + names() + ".";
    }

    List<LoadFailure> failures() {
        return failures.values().stream()
                .sorted(Comparator.comparing(LoadFailure::name).thenComparingInt(LoadFailure::version))
                .toList();
    }

    Optional<LoadFailure> failure(VersionId id) {
        return Optional.ofNullable(failures.get(id));
    }

    // Writes, under the registry's lock.

    /** Lists a version, its network with it when {@code resident} is not null. */
    Entry add(ModelDescriptor descriptor, Path directory, Resident resident) {
        Entry e = new Entry(descriptor, directory);
        e.resident = resident;
        if (resident != null) {
            e.bytes = resident.bytes();
        }
        models.computeIfAbsent(descriptor.name(), n -> new ConcurrentSkipListMap<>())
                .put(descriptor.version(), e);
        failures.remove(e.id());
        return e;
    }

    /**
     * Takes a version out of the listing; the model goes with its last one, and its pin with it. Its
     * network, if loaded, is unloaded: see {@link #unload}.
     */
    void remove(VersionId id) {
        NavigableMap<Integer, Entry> versions = models.get(id.name());
        if (versions == null) {
            return;
        }
        Entry gone = versions.remove(id.version());
        if (gone != null) {
            unload(gone);
        }
        if (versions.isEmpty()) {
            models.remove(id.name());
            pins.remove(id.name());
        }
    }

    /**
     * Takes a version's network out of service: no new lease is given on it, and once the last one
     * ends it waits in {@link #takeRetired} until its network is released. Returns whether it was loaded.
     */
    boolean unload(Entry e) {
        Resident r = e.resident;
        if (r == null) {
            return false;
        }
        e.resident = null;
        r.unload();
        return true;
    }

    /** A network no lease uses any more: it waits for its releaser. */
    void retire(LoadedModel m) {
        retired.computeIfAbsent(m.id(), k -> new ConcurrentLinkedQueue<>()).add(m);
    }

    /** The unloaded versions under {@code id} not taken yet, now taken. */
    List<LoadedModel> takeRetired(VersionId id) {
        Queue<LoadedModel> gone = retired.remove(id);
        return gone == null ? List.of() : List.copyOf(gone);
    }

    void setPin(String name, Optional<Integer> version) {
        if (version.isPresent()) {
            pins.put(name, version.get());
        } else {
            pins.remove(name);
        }
    }

    void failed(LoadFailure failure) {
        failures.put(new VersionId(failure.name(), failure.version()), failure);
    }

    /** Forgets the failures of versions no longer in the store. */
    void keepFailuresOf(Set<VersionId> present) {
        failures.keySet().removeIf(id -> !present.contains(id));
    }
}
