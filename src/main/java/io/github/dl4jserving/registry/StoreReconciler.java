package io.github.dl4jserving.registry;

import io.github.dl4jserving.registry.ModelRegistry.LoadFailure;
import io.github.dl4jserving.registry.ModelRegistry.StoreProblem;
import io.github.dl4jserving.registry.RegistryEvent.DefaultVersionChanged;
import io.github.dl4jserving.registry.RegistryEvent.ModelVersionFailed;
import io.github.dl4jserving.registry.RegistryEvent.ModelVersionLoaded;
import io.github.dl4jserving.registry.RegistryEvent.ModelVersionRetired;
import io.github.dl4jserving.registry.internal.ModelStore;
import io.github.dl4jserving.registry.internal.VersionLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the registry's memory in line with the store: loads versions that appeared since the last
 * scan, retries failed ones whose files changed, drops versions another process deleted and re-reads
 * the pinned defaults another process may have moved. Keeps the store's health: when it cannot be
 * read, what is loaded keeps serving and {@link #storeProblem()} says why.
 */
final class StoreReconciler {
    private static final Logger log = LoggerFactory.getLogger(StoreReconciler.class);

    private final ModelStore store;
    private final VersionIndex index;
    private final RegistryChanges changes;
    private final ModelMemory memory;
    /** Why the last scan could not read the store, and since when; null while it can. */
    private volatile StoreProblem storeProblem;

    StoreReconciler(ModelStore store, VersionIndex index, RegistryChanges changes, ModelMemory memory) {
        this.store = store;
        this.index = index;
        this.changes = changes;
        this.memory = memory;
    }

    /** Scans the store once; returns how many versions were newly loaded. */
    int refresh() {
        try {
            return changes.make(this::reconcile);
        } catch (IOException e) {
            throw new StoreUnavailableException("Could not scan " + store.location() + ": " + e.getMessage(), e);
        }
    }

    private int reconcile(List<RegistryEvent> events) {
        int loaded = 0;
        try {
            List<ModelStore.StoredVersion> stored = store.scan();
            for (String name : index.names()) {
                readPin(name, events);
            }
            for (ModelStore.StoredVersion version : stored) {
                VersionId id = new VersionId(version.name(), version.version());
                if (index.isListed(id)) {
                    continue;
                }
                Optional<LoadFailure> failed = index.failure(id);
                if (failed.isPresent() && failed.get().stamp().equals(version.stamp())) {
                    continue;
                }
                if (load(version, events)) {
                    loaded++;
                }
            }
            retireDeleted(stored, events);
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
        return loaded;
    }

    /** Why the store could not be read at the last scan, and since when, if it could not. */
    Optional<StoreProblem> storeProblem() {
        return Optional.ofNullable(storeProblem);
    }

    /** Forgets the versions, and failures, that are no longer in the store: another process deleted them. */
    private void retireDeleted(List<ModelStore.StoredVersion> stored, List<RegistryEvent> events) {
        if (stored.isEmpty() && !index.names().isEmpty()) {
            // No request empties a store (the last version of a model cannot be deleted): an unmounted
            // directory or a wrong prefix does. Keep serving what is loaded.
            log.warn(
                    "The model store {} lists no versions at all; keeping the {} loaded model(s)",
                    store.location(),
                    index.names().size());
            return;
        }
        Set<VersionId> present = new HashSet<>();
        stored.forEach(v -> present.add(new VersionId(v.name(), v.version())));
        index.keepFailuresOf(present);
        for (String name : index.names()) {
            VersionIndex.Entry before = index.defaultEntry(name);
            for (VersionIndex.Entry e : index.entries(name)) {
                if (!present.contains(e.id())) {
                    log.info("{} version {} was deleted from the store", name, e.version());
                    events.add(new ModelVersionRetired(e.id()));
                    index.remove(e.id());
                }
            }
            if (index.hasVersions(name) && index.defaultEntry(name) != before) {
                events.add(
                        new DefaultVersionChanged(name, index.defaultEntry(name).version()));
            }
        }
    }

    /**
     * Reads the pin of {@code name} from the store into memory; when that changes which loaded
     * version serves (another process moved the pin), a {@link DefaultVersionChanged} is due.
     */
    void readPin(String name, List<RegistryEvent> events) {
        VersionIndex.Entry before = index.hasVersions(name) ? index.defaultEntry(name) : null;
        index.setPin(name, store.pinnedDefault(name));
        if (before != null) {
            VersionIndex.Entry after = index.defaultEntry(name);
            if (after != before) {
                log.info("The default of {} is now version {}", name, after.version());
                events.add(new DefaultVersionChanged(name, after.version()));
            }
        }
    }

    private boolean load(ModelStore.StoredVersion dir, List<RegistryEvent> events) {
        Path local = null;
        try {
            local = store.localCopy(dir);
            if (!memory.budget().keepsLoaded(dir.name())) {
                // Listed only: the first request that needs it loads it.
                ModelDescriptor descriptor = VersionLoader.describe(dir, local);
                if (!index.hasVersions(dir.name())) {
                    readPin(dir.name(), events);
                }
                index.add(descriptor, local, null);
                return false;
            }
            LoadedModel loaded = VersionLoader.read(dir, local);
            if (!index.hasVersions(dir.name())) {
                readPin(dir.name(), events);
            }
            Resident resident = memory.admit(loaded, events);
            index.add(loaded.descriptor(), local, resident);
            if (resident == null) {
                return false;
            }
            log.info(
                    "Loaded {} version {} in {} ms",
                    dir.name(),
                    dir.version(),
                    Math.round(loaded.loadSeconds() * 1000));
            events.add(new ModelVersionLoaded(loaded.name(), loaded.version(), loaded.loadSeconds()));
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
            index.failed(failure);
            events.add(new ModelVersionFailed(failure.name(), failure.version(), failure.reason()));
            log.warn("Skipping {} version {} in {}: {}", dir.name(), dir.version(), store.location(), reason);
            return false;
        }
    }

    /** Whether the version that should be the default, the pinned one or else the highest on disk, failed. */
    boolean intendedDefaultFailed(String name) {
        // A model with no loaded version has no pin in memory yet.
        int intended = index.hasVersions(name) ? index.pin(name).orElse(Integer.MIN_VALUE) : storedPin(name);
        int highestLoaded = index.highest(name).orElse(Integer.MIN_VALUE);
        return index.failures().stream()
                .anyMatch(f -> f.name().equals(name) && (f.version() == intended || f.version() > highestLoaded));
    }

    private int storedPin(String name) {
        try {
            return store.pinnedDefault(name).orElse(Integer.MIN_VALUE);
        } catch (StoreUnavailableException e) {
            return Integer.MIN_VALUE;
        }
    }
}
