package io.github.dl4jserving.registry;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.github.dl4jserving.registry.RegistryEvent.DefaultVersionChanged;
import io.github.dl4jserving.registry.RegistryEvent.ModelVersionFailed;
import io.github.dl4jserving.registry.RegistryEvent.ModelVersionLoaded;
import io.github.dl4jserving.registry.RegistryEvent.ModelVersionRetired;
import io.github.dl4jserving.registry.internal.ModelStore;
import io.github.dl4jserving.registry.internal.VersionLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Every version in the store, loaded into memory at start-up. A version that cannot be loaded
 * (a missing, truncated or foreign file, a descriptor that does not match its directory) is skipped,
 * logged and listed by {@link #failures()}; the others serve as usual.
 *
 * <p>Changes are announced as {@link RegistryEvent}s, published only after the registry's lock is
 * released, so a listener never runs inside it, and in the order the changes were made, whichever
 * threads made them. Reads never take the lock.
 */
public class ModelRegistry {
    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    private final ModelStore store;
    private final ApplicationEventPublisher events;
    private final Map<String, NavigableMap<Integer, LoadedModel>> models = new ConcurrentHashMap<>();
    private final Map<String, LoadFailure> failures = new ConcurrentHashMap<>();
    /**
     * The pinned default of each model as last read from or written to the store: requests resolve
     * their default here, never on disk. A rescan re-reads the pins another process may have moved.
     */
    private final Map<String, Integer> pins = new ConcurrentHashMap<>();
    /** Held by every change; reads go to the concurrent maps without it. */
    private final Object lock = new Object();
    /** Changes made under the lock and not yet announced, oldest first; also the monitor of {@link #announcing}. */
    private final Deque<RegistryEvent> unannounced = new ArrayDeque<>();
    /** Whether some thread is delivering {@link #unannounced} events now. */
    private boolean announcing;
    /** Why the last scan could not read the store, and since when; null while it can. */
    private volatile StoreProblem storeProblem;

    /** A registry that announces nothing: for tools and tests that need no listeners. */
    public ModelRegistry(ModelStore store) {
        this(store, event -> {});
    }

    public ModelRegistry(ModelStore store, ApplicationEventPublisher events) {
        this.store = store;
        this.events = events;
        store.removeLeftovers();
        refresh();
        log.info(
                "Model registry at {}: {} model(s), {} version(s) loaded, {} failed",
                store.location(),
                models.size(),
                models.values().stream().mapToInt(Map::size).sum(),
                failures.size());
    }

    /**
     * Brings memory in line with the store: loads versions that appeared since the last scan, retries
     * failed ones whose files changed, drops versions deleted by another process, and re-reads the
     * pinned defaults. When the store cannot be read, what is loaded keeps serving and
     * {@link #storeProblem()} says why. Returns how many versions were newly loaded.
     */
    public int refresh() {
        List<RegistryEvent> changes = new ArrayList<>();
        int loaded = 0;
        synchronized (lock) {
            try {
                List<ModelStore.StoredVersion> stored = store.scan();
                for (String name : models.keySet()) {
                    readPin(name, changes);
                }
                for (ModelStore.StoredVersion version : stored) {
                    NavigableMap<Integer, LoadedModel> versions = models.get(version.name());
                    if (versions != null && versions.containsKey(version.version())) {
                        continue;
                    }
                    LoadFailure failed = failures.get(version.name() + "@" + version.version());
                    if (failed != null && failed.stamp().equals(version.stamp())) {
                        continue;
                    }
                    if (load(version, changes)) {
                        loaded++;
                    }
                }
                retireDeleted(stored, changes);
                if (storeProblem != null) {
                    log.info("The model store {} can be read again", store.location());
                    storeProblem = null;
                }
            } catch (StoreUnavailableException e) {
                if (storeProblem == null) {
                    log.warn("{}", e.getMessage());
                    storeProblem = new StoreProblem(e.getMessage(), Instant.now());
                }
            }
            due(changes);
        }
        announce();
        return loaded;
    }

    /** Forgets the versions, and failures, that are no longer in the store: another process deleted them. */
    private void retireDeleted(List<ModelStore.StoredVersion> stored, List<RegistryEvent> changes) {
        if (stored.isEmpty() && !models.isEmpty()) {
            // No request empties a store (the last version of a model cannot be deleted): an unmounted
            // directory or a wrong prefix does. Keep serving what is loaded.
            log.warn(
                    "The model store {} lists no versions at all; keeping the {} loaded model(s)",
                    store.location(),
                    models.size());
            return;
        }
        Set<String> present = new TreeSet<>();
        stored.forEach(v -> present.add(v.name() + "@" + v.version()));
        failures.keySet().removeIf(k -> !present.contains(k));
        for (Map.Entry<String, NavigableMap<Integer, LoadedModel>> model : models.entrySet()) {
            LoadedModel before = defaultVersion(model.getKey());
            for (LoadedModel m : List.copyOf(model.getValue().values())) {
                if (!present.contains(m.name() + "@" + m.version())) {
                    model.getValue().remove(m.version());
                    log.info("{} version {} was deleted from the store", m.name(), m.version());
                    changes.add(new ModelVersionRetired(m));
                }
            }
            if (model.getValue().isEmpty()) {
                models.remove(model.getKey());
                pins.remove(model.getKey());
            } else if (defaultVersion(model.getKey()) != before) {
                changes.add(new DefaultVersionChanged(
                        model.getKey(), defaultVersion(model.getKey()).version()));
            }
        }
    }

    /** Why the store could not be read at the last scan, and since when, if it could not. */
    public Optional<StoreProblem> storeProblem() {
        return Optional.ofNullable(storeProblem);
    }

    /** Where the versions are kept, without a local path: "the models directory" or an {@code s3://} address. */
    public String storeLocation() {
        return store.publicLocation();
    }

    /** Whether the store refuses writes ({@code dl4j-serving.registry.read-only}). */
    public boolean readOnly() {
        return store.readOnly();
    }

    /** The one model the store holds, in single-model mode ({@code dl4j-serving.registry.model-name}). */
    public Optional<String> singleModel() {
        return store.singleModel();
    }

    /** The store could not be read: {@code reason}, since {@code since}. */
    public record StoreProblem(String reason, Instant since) {}

    /** Queues changes made under the lock, so they are announced in the order they were made. */
    private void due(List<RegistryEvent> changes) {
        synchronized (unannounced) {
            unannounced.addAll(changes);
        }
    }

    /**
     * Announces the queued changes, outside the registry's lock, one at a time and in order: the
     * thread that finds nobody announcing delivers every queued event, its own and those other
     * threads queued meanwhile, so two threads' events never overtake each other on the way to a
     * listener.
     */
    private void announce() {
        while (true) {
            RegistryEvent next;
            synchronized (unannounced) {
                if (announcing || unannounced.isEmpty()) {
                    return;
                }
                next = unannounced.poll();
                announcing = true;
            }
            try {
                events.publishEvent(next);
            } finally {
                synchronized (unannounced) {
                    announcing = false;
                }
            }
        }
    }

    /**
     * Adds an uploaded {@code model.zip} as the next version: it must load through ModelSerializer
     * and pass {@code check} (a forward pass of the declared input) before it becomes visible. A
     * version that would change the contract of the model's current default (see
     * {@link ModelDescriptor#contractChanges}) is refused with {@link ModelConflictException} unless
     * {@code allowSchemaChange}; then the change is recorded in its descriptor and logged.
     */
    public LoadedModel upload(
            ModelDescriptor descriptor, Path modelZip, Consumer<LoadedModel> check, boolean allowSchemaChange)
            throws IOException {
        LoadedModel loaded;
        synchronized (lock) {
            // The network is checked first, so a version that is both broken and different gets the
            // 422 that says what is broken; only a version that would serve gets the 409.
            List<String> changes = changesAgainstDefault(descriptor);
            ModelDescriptor toWrite = changes.isEmpty() || !allowSchemaChange
                    ? descriptor
                    : descriptor.withSchemaChange(new ModelDescriptor.SchemaChange(
                            defaultVersion(descriptor.name()).version(), changes));
            Consumer<LoadedModel> checks = changes.isEmpty() || allowSchemaChange
                    ? check
                    : check.andThen(candidate -> {
                        throw contractConflict(descriptor.name(), changes, "?allowSchemaChange=true");
                    });
            loaded = VersionLoader.writeUploaded(store, toWrite, modelZip, checks);
            models.computeIfAbsent(loaded.name(), n -> new ConcurrentSkipListMap<>())
                    .put(loaded.version(), loaded);
            due(List.of(loadedEvent(loaded)));
        }
        log.info("Added uploaded {} version {}", loaded.name(), loaded.version());
        if (loaded.descriptor().schemaChange() != null) {
            log.warn(
                    "{} version {} changes the model's contract against version {}: {}",
                    loaded.name(),
                    loaded.version(),
                    loaded.descriptor().schemaChange().fromVersion(),
                    loaded.descriptor().schemaChange().changes());
        }
        announce();
        return loaded;
    }

    /** How {@code candidate} changes the contract of its model's current default; empty for a new model. */
    private List<String> changesAgainstDefault(ModelDescriptor candidate) {
        return hasVersions(candidate.name())
                ? ModelDescriptor.contractChanges(
                        defaultVersion(candidate.name()).descriptor(), candidate)
                : List.of();
    }

    private ModelConflictException contractConflict(String name, List<String> changes, String howToAllow) {
        return new ModelConflictException("A new version of '" + name + "' would change the contract its clients "
                + "rely on, against the default (version "
                + defaultVersion(name).version() + "): "
                + String.join("; ", changes) + ". Use another model name"
                + (howToAllow == null ? "." : ", or, if the change is meant, " + howToAllow + "."));
    }

    /** The outcome of {@link #publish}: the version written and whether it became the default. */
    public record Published(LoadedModel model, PromotionRule.Decision decision) {}

    /**
     * Writes a trained network as the next version of its model (atomically: a temporary directory,
     * then a rename) and loads it back from disk. {@code rule} decides, under the registry's lock and
     * against the default at that moment, whether the new version becomes the default; if not, the
     * current default is pinned first, so the new version does not serve by being the highest. A
     * version that would change the current default's contract is refused with
     * {@link ModelConflictException}, as for uploads: a training job on uploaded data cannot take over
     * a model whose clients send other inputs or expect other labels. It may train under a new name.
     */
    public Published publish(
            ModelDescriptor descriptor, MultiLayerNetwork network, DataNormalization normalizer, PromotionRule rule)
            throws IOException {
        long start = System.nanoTime();
        String name = descriptor.name();
        List<RegistryEvent> changes = new ArrayList<>();
        LoadedModel loaded;
        PromotionRule.Decision decision;
        synchronized (lock) {
            List<String> contractChanges = changesAgainstDefault(descriptor);
            if (!contractChanges.isEmpty()) {
                throw contractConflict(name, contractChanges, null);
            }
            LoadedModel current = hasVersions(name) ? defaultVersion(name) : null;
            decision = rule.decide(descriptor, current == null ? null : current.descriptor());
            if (!decision.promote() && current != null) {
                pin(name, current.version());
            }
            ModelStore.WrittenVersion written = store.writeNewVersion(descriptor, network, normalizer);
            loaded = VersionLoader.restore(written.descriptor(), written.directory(), start);
            models.computeIfAbsent(name, n -> new ConcurrentSkipListMap<>()).put(loaded.version(), loaded);
            changes.add(loadedEvent(loaded));
            if (decision.promote()) {
                pin(name, loaded.version());
                changes.add(new DefaultVersionChanged(name, loaded.version()));
            }
            due(changes);
        }
        log.info("Published {} version {}{}", name, loaded.version(), decision.promote() ? " as the default" : "");
        announce();
        return new Published(loaded, decision);
    }

    /** Pins {@code version} as the default of {@code name}; it must be loaded. */
    public LoadedModel setDefault(String name, int version) throws IOException {
        LoadedModel target;
        synchronized (lock) {
            target = get(name, version);
            pin(name, version);
            due(List.of(new DefaultVersionChanged(name, version)));
        }
        announce();
        return target;
    }

    private boolean hasVersions(String name) {
        NavigableMap<Integer, LoadedModel> versions = models.get(name);
        return versions != null && !versions.isEmpty();
    }

    private static ModelVersionLoaded loadedEvent(LoadedModel m) {
        return new ModelVersionLoaded(m.name(), m.version(), m.loadSeconds());
    }

    private void pin(String name, int version) throws IOException {
        store.pinDefault(name, version);
        pins.put(name, version);
    }

    /**
     * Reads the pin of {@code name} from the store into memory; when that changes which loaded
     * version serves (another process moved the pin), a {@link DefaultVersionChanged} is due.
     */
    private void readPin(String name, List<RegistryEvent> changes) {
        LoadedModel before = hasVersions(name) ? defaultVersion(name) : null;
        Optional<Integer> pinned = store.pinnedDefault(name);
        if (pinned.isPresent()) {
            pins.put(name, pinned.get());
        } else {
            pins.remove(name);
        }
        if (before != null) {
            LoadedModel after = defaultVersion(name);
            if (after != before) {
                log.info("The default of {} is now version {}", name, after.version());
                changes.add(new DefaultVersionChanged(name, after.version()));
            }
        }
    }

    /** Deletes a version from disk and from service; never the default or the last one. */
    public void delete(String name, int version) throws IOException {
        LoadedModel victim;
        synchronized (lock) {
            victim = get(name, version);
            if (models.get(name).size() == 1) {
                throw new ModelConflictException("Version " + version + " is the last version of '" + name
                        + "'. To delete it, delete the model (DELETE /models/" + name + ").");
            }
            if (defaultVersion(name).version() == version) {
                throw new ModelConflictException("Version " + version + " is the default of '" + name + "'. Make "
                        + "another version the default first (PUT /models/" + name + "/default).");
            }
            store.deleteVersion(name, version);
            models.get(name).remove(version);
            due(List.of(new ModelVersionRetired(victim)));
        }
        announce();
    }

    /**
     * Deletes every version of {@code name}, and its pinned default. Its numbers stay taken: shipped
     * versions are not seeded again, and a later upload under the name starts after them.
     */
    public void deleteModel(String name) throws IOException {
        List<RegistryEvent> retired = new ArrayList<>();
        synchronized (lock) {
            NavigableMap<Integer, LoadedModel> versions = models.get(name);
            if (versions == null) {
                throw new ModelNotFoundException(unknownModel(name));
            }
            for (LoadedModel m : List.copyOf(versions.values())) {
                store.deleteVersion(name, m.version());
                versions.remove(m.version());
                retired.add(new ModelVersionRetired(m));
            }
            forget(name);
            due(retired);
        }
        announce();
    }

    private void forget(String name) throws IOException {
        models.remove(name);
        pins.remove(name);
        store.unpinDefault(name);
    }

    private boolean load(ModelStore.StoredVersion dir, List<RegistryEvent> changes) {
        Path local = null;
        try {
            local = store.localCopy(dir);
            LoadedModel loaded = VersionLoader.read(dir, local);
            if (!models.containsKey(dir.name())) {
                readPin(dir.name(), changes);
            }
            models.computeIfAbsent(dir.name(), n -> new ConcurrentSkipListMap<>())
                    .put(dir.version(), loaded);
            failures.remove(dir.name() + "@" + dir.version());
            log.info(
                    "Loaded {} version {} in {} ms",
                    dir.name(),
                    dir.version(),
                    Math.round(loaded.loadSeconds() * 1000));
            changes.add(loadedEvent(loaded));
            return true;
        } catch (StoreUnavailableException e) {
            throw e; // the whole scan stops; nothing is wrong with the version
        } catch (Exception | OutOfMemoryError e) {
            // Files are named from the model's folder on: "missing file mnist-mlp/3/model.zip".
            String reason = VersionLoader.reason(
                    e,
                    local == null
                            ? store.location()
                            : local.getParent().getParent().toString());
            LoadFailure failure = new LoadFailure(dir.name(), dir.version(), reason, dir.stamp());
            failures.put(dir.name() + "@" + dir.version(), failure);
            changes.add(new ModelVersionFailed(failure.name(), failure.version(), failure.reason()));
            log.warn("Skipping {} version {} in {}: {}", dir.name(), dir.version(), store.location(), reason);
            return false;
        }
    }

    /** The model names with at least one loaded version, sorted. */
    public List<String> names() {
        return models.keySet().stream().sorted().toList();
    }

    /** The loaded versions of {@code name}, ascending. */
    public List<LoadedModel> versions(String name) {
        NavigableMap<Integer, LoadedModel> v = models.get(name);
        if (v == null) {
            throw new ModelNotFoundException(unknownModel(name));
        }
        return List.copyOf(v.values());
    }

    /** The version that serves when none is asked for: the pinned one if it is loaded, else the highest. */
    public LoadedModel defaultVersion(String name) {
        NavigableMap<Integer, LoadedModel> v = models.get(name);
        if (v == null || v.isEmpty()) {
            throw new ModelNotFoundException(unknownModel(name));
        }
        Integer pinned = pins.get(name);
        LoadedModel m = pinned == null ? null : v.get(pinned);
        return m != null ? m : v.lastEntry().getValue();
    }

    /** {@code version} of {@code name}, or the default version when {@code version} is null. */
    public LoadedModel get(String name, Integer version) {
        if (version == null) {
            return defaultVersion(name);
        }
        NavigableMap<Integer, LoadedModel> v = models.get(name);
        if (v == null) {
            throw new ModelNotFoundException(unknownModel(name));
        }
        LoadedModel m = v.get(version);
        if (m == null) {
            throw new ModelNotFoundException("Model '" + name + "' has no loaded version " + version
                    + "; loaded versions are " + v.keySet() + ".");
        }
        return m;
    }

    /** Versions that are on disk but could not be loaded. */
    public List<LoadFailure> failures() {
        return failures.values().stream()
                .sorted(Comparator.comparing(LoadFailure::name).thenComparingInt(LoadFailure::version))
                .toList();
    }

    /** Whether the version that should be the default, the pinned one or else the highest on disk, failed. */
    public boolean intendedDefaultFailed(String name) {
        // A model with no loaded version has no pin in memory yet.
        int intended = models.containsKey(name) ? pins.getOrDefault(name, Integer.MIN_VALUE) : storedPin(name);
        int highestLoaded = models.containsKey(name) ? models.get(name).lastKey() : Integer.MIN_VALUE;
        for (LoadFailure f : failures.values()) {
            if (f.name().equals(name) && (f.version() == intended || f.version() > highestLoaded)) {
                return true;
            }
        }
        return false;
    }

    private int storedPin(String name) {
        try {
            return store.pinnedDefault(name).orElse(Integer.MIN_VALUE);
        } catch (StoreUnavailableException e) {
            return Integer.MIN_VALUE;
        }
    }

    private String unknownModel(String name) {
        String shown = name == null ? "" : name.length() > 64 ? name.substring(0, 64) + "..." : name;
        return "There is no model named '" + shown + "'. Loaded models: " + names() + ".";
    }

    /** A version on disk that failed to load, and why. */
    public record LoadFailure(
            String name,
            int version,
            String reason,
            @JsonIgnore String stamp) {}
}
