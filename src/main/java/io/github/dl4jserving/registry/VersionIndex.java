package io.github.dl4jserving.registry;

import io.github.dl4jserving.registry.ModelRegistry.LoadFailure;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The registry's memory: the loaded versions of each model, the pinned defaults as last read from or
 * written to the store, and the versions that failed to load. Requests read it without a lock and
 * never touch the store; it is written only under the registry's lock.
 */
final class VersionIndex {
    private final Map<String, NavigableMap<Integer, LoadedModel>> models = new ConcurrentHashMap<>();
    private final Map<VersionId, LoadFailure> failures = new ConcurrentHashMap<>();
    private final Map<String, Integer> pins = new ConcurrentHashMap<>();
    /** Removed versions whose networks nobody has released yet (a number can be removed twice). */
    private final Map<VersionId, Queue<LoadedModel>> retired = new ConcurrentHashMap<>();

    /** The model names with at least one loaded version, sorted. */
    List<String> names() {
        return models.keySet().stream().sorted().toList();
    }

    int versionCount() {
        return models.values().stream().mapToInt(Map::size).sum();
    }

    /** The loaded versions of {@code name}, ascending. */
    List<LoadedModel> versions(String name) {
        return List.copyOf(loaded(name).values());
    }

    boolean hasVersions(String name) {
        NavigableMap<Integer, LoadedModel> versions = models.get(name);
        return versions != null && !versions.isEmpty();
    }

    boolean isLoaded(VersionId id) {
        NavigableMap<Integer, LoadedModel> versions = models.get(id.name());
        return versions != null && versions.containsKey(id.version());
    }

    /** The version that serves when none is asked for: the pinned one if it is loaded, else the highest. */
    LoadedModel defaultVersion(String name) {
        NavigableMap<Integer, LoadedModel> v = models.get(name);
        if (v == null || v.isEmpty()) {
            throw new ModelNotFoundException(unknownModel(name));
        }
        Integer pinned = pins.get(name);
        LoadedModel m = pinned == null ? null : v.get(pinned);
        return m != null ? m : v.lastEntry().getValue();
    }

    /** {@code version} of {@code name}, or the default version when {@code version} is null. */
    LoadedModel get(String name, Integer version) {
        if (version == null) {
            return defaultVersion(name);
        }
        NavigableMap<Integer, LoadedModel> v = loaded(name);
        LoadedModel m = v.get(version);
        if (m == null) {
            throw new ModelNotFoundException("Model '" + name + "' has no loaded version " + version
                    + "; loaded versions are " + v.keySet() + ".");
        }
        return m;
    }

    private NavigableMap<Integer, LoadedModel> loaded(String name) {
        NavigableMap<Integer, LoadedModel> v = models.get(name);
        if (v == null) {
            throw new ModelNotFoundException(unknownModel(name));
        }
        return v;
    }

    /** The pinned default in memory, if any; a model with no loaded version has none. */
    Optional<Integer> pin(String name) {
        return models.containsKey(name) ? Optional.ofNullable(pins.get(name)) : Optional.empty();
    }

    /** The highest loaded version of {@code name}, if any. */
    Optional<Integer> highestLoaded(String name) {
        NavigableMap<Integer, LoadedModel> v = models.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.lastKey());
    }

    /** Every loaded version, model by model. */
    List<LoadedModel> all() {
        return models.values().stream().flatMap(v -> v.values().stream()).toList();
    }

    String unknownModel(String name) {
        String shown = name == null ? "" : name.length() > 64 ? name.substring(0, 64) + "..." : name;
        return "There is no model named '" + shown + "'. Loaded models: " + names() + ".";
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

    void add(LoadedModel m) {
        models.computeIfAbsent(m.name(), n -> new ConcurrentSkipListMap<>()).put(m.version(), m);
        failures.remove(new VersionId(m.name(), m.version()));
    }

    /** Removes a version; the model goes with its last one, and its pin with it. */
    /** Takes a version out of service; it waits in {@link #takeRetired} until its network is released. */
    void remove(VersionId id) {
        NavigableMap<Integer, LoadedModel> versions = models.get(id.name());
        if (versions == null) {
            return;
        }
        LoadedModel gone = versions.remove(id.version());
        if (gone != null) {
            retired.computeIfAbsent(id, k -> new ConcurrentLinkedQueue<>()).add(gone);
        }
        if (versions.isEmpty()) {
            models.remove(id.name());
            pins.remove(id.name());
        }
    }

    /** The removed versions under {@code id} not taken yet, now taken. */
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
