package io.github.dl4jserving.registry;

import io.github.dl4jserving.registry.RegistryEvent.ModelVersionLoaded;
import io.github.dl4jserving.registry.RegistryEvent.ModelVersionUnloaded;
import io.github.dl4jserving.registry.VersionIndex.Entry;
import io.github.dl4jserving.registry.internal.VersionLoader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which versions are in memory under the {@link MemoryBudget}: loads on first use, one load per
 * version however many requests wait for it, and room made by unloading the least recently used
 * versions of models that are not kept loaded ({@link #EVICTION_ORDER}). Without a limit every
 * version is loaded when it is listed and nothing is ever unloaded to make room.
 */
final class ModelMemory {
    private static final Logger log = LoggerFactory.getLogger(ModelMemory.class);

    private final MemoryBudget budget;
    private final VersionIndex index;
    private final RegistryChanges changes;
    /** What a loaded version holds in memory; the inference module adds its batch workers' memory. */
    private volatile ToLongFunction<LoadedModel> footprint = ModelRegistry::parameterBytes;
    /** The loads under way, one per version: the requests that need it wait on the first one's. */
    private final Map<VersionId, CompletableFuture<Void>> loading = new ConcurrentHashMap<>();

    /** Reads from disk under way: at most max-concurrent-loads, so that loads leave cores to requests. */
    private final Semaphore reads;

    private final AtomicLong coldStarts = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();

    ModelMemory(MemoryBudget budget, VersionIndex index, RegistryChanges changes) {
        this.budget = budget;
        this.index = index;
        this.changes = changes;
        this.reads = new Semaphore(budget.maxConcurrentLoads(), true);
    }

    MemoryBudget budget() {
        return budget;
    }

    void footprint(ToLongFunction<LoadedModel> footprint) {
        this.footprint = footprint;
    }

    /** What the loaded versions hold now. */
    long loadedBytes() {
        return index.all().stream()
                .map(e -> e.resident)
                .filter(r -> r != null)
                .mapToLong(Resident::bytes)
                .sum();
    }

    /** What the loaded versions hold against the budget, and how often versions came and went. */
    MemoryState state() {
        return new MemoryState(
                budget.bounded() ? budget.maxBytes() : null,
                loadedBytes(),
                (int) index.all().stream().filter(Entry::loaded).count(),
                index.versionCount(),
                coldStarts.get(),
                evictions.get(),
                budget.keepLoaded().stream().sorted().toList());
    }

    /** Unloads {@code version} of {@code name}, or every version when it is null; see {@link ModelRegistry#unload}. */
    List<VersionState> unload(String name, Integer version) throws IOException {
        return changes.make(events -> {
            List<Entry> targets = version == null ? index.entries(name) : List.of(index.resolve(name, version));
            if (budget.bounded() && budget.keepLoaded().contains(name)) {
                throw new ModelConflictException(
                        "'" + name + "' stays loaded: it is in dl4j-serving.registry.keep-loaded.");
            }
            for (Entry e : targets) {
                if (index.unload(e)) {
                    log.info("Unloaded {} on request", e.id());
                }
            }
            return targets.stream().map(VersionState::of).toList();
        });
    }

    /**
     * A resident for a network just read, if the budget can make room for it, unloading what it
     * must; null when it cannot, and the network is closed. Under the registry's lock.
     */
    Resident admit(LoadedModel m, List<RegistryEvent> events) {
        long bytes = footprint.applyAsLong(m);
        try {
            makeRoom(m.id(), bytes, events);
        } catch (ModelMemoryException e) {
            log.warn("{} stays unloaded: {}", m.id(), e.getMessage());
            m.network().close();
            return null;
        }
        return new Resident(m, bytes, this::idle);
    }

    /**
     * A lease on {@code e}'s network, loading it first if it is not in memory: the first request to
     * need it reads it, the others wait for that load, up to the load timeout.
     */
    ModelLease lease(String name, Integer version) {
        long deadline = System.nanoTime() + budget.loadTimeout().toNanos();
        for (int attempt = 0; ; attempt++) {
            Entry e = index.resolve(name, version);
            Resident r = e.resident;
            if (r != null && r.acquire()) {
                e.usedBefore = e.lastUsed;
                e.lastUsed = System.nanoTime();
                return new ModelLease(r);
            }
            if (attempt > 0 && System.nanoTime() > deadline) {
                // Loaded, and pushed out again by other loads before this request could use it.
                throw ModelMemoryException.stillLoading(
                        e.id(), budget.loadTimeout().toMillis());
            }
            awaitLoad(e, deadline);
        }
    }

    /** Loads {@code e} unless another thread is loading it; then waits for that load, until {@code deadline}. */
    private void awaitLoad(Entry e, long deadline) {
        VersionId id = e.id();
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = loading.putIfAbsent(id, mine);
        if (running == null) {
            try {
                load(e, deadline);
                mine.complete(null);
            } catch (RuntimeException | Error t) {
                mine.completeExceptionally(t);
                throw t;
            } finally {
                loading.remove(id, mine);
            }
            return;
        }
        long left = deadline - System.nanoTime();
        try {
            running.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
        } catch (TimeoutException t) {
            throw ModelMemoryException.stillLoading(
                    id, budget.loadTimeout().toMillis() - TimeUnit.NANOSECONDS.toMillis(left));
        } catch (ExecutionException failed) {
            throw failed.getCause() instanceof RuntimeException cause
                    ? cause
                    : new IllegalStateException("Loading " + id + " failed", failed.getCause());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw ModelMemoryException.stillLoading(id, 0);
        }
    }

    /** Reads {@code e}'s network from its files and brings it into service: a cold start. */
    private void load(Entry e, long deadline) {
        long start = System.nanoTime();
        VersionId id = e.id();
        if (e.bytes > budget.maxBytes()) {
            throw ModelMemoryException.tooLarge(id, e.bytes, budget.maxBytes());
        }
        // Room for what it held last time is made before it is read, so memory stays within the budget.
        try {
            changes.make(events -> {
                makeRoom(id, e.bytes, events);
                return null;
            });
        } catch (IOException cannot) {
            throw new IllegalStateException(cannot); // makeRoom does no I/O
        }
        LoadedModel m;
        try {
            if (!reads.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw ModelMemoryException.stillLoading(id, budget.loadTimeout().toMillis());
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw ModelMemoryException.stillLoading(id, 0);
        }
        try {
            m = VersionLoader.restore(e.descriptor, e.directory, start);
        } catch (IOException | RuntimeException failed) {
            log.warn("Could not load {} on demand: {}", id, failed.toString());
            throw new StoreUnavailableException(
                    "Could not load version " + id.version() + " of '" + id.name() + "': "
                            + VersionLoader.reason(
                                    failed, e.directory.getParent().getParent()),
                    failed);
        } finally {
            reads.release();
        }
        long bytes = footprint.applyAsLong(m);
        try {
            changes.make(events -> {
                if (index.entry(id).orElse(null) != e) {
                    throw new ModelNotFoundException(
                            "Version " + id.version() + " of '" + id.name() + "' was deleted while it loaded.");
                }
                if (e.resident != null) {
                    m.network().close(); // loaded meanwhile by a management call
                    return null;
                }
                if (bytes > budget.maxBytes()) {
                    e.bytes = bytes;
                    throw ModelMemoryException.tooLarge(id, bytes, budget.maxBytes());
                }
                makeRoom(id, bytes, events);
                e.resident = new Resident(m, bytes, this::idle);
                e.bytes = bytes;
                double seconds = (System.nanoTime() - start) / 1e9;
                events.add(new ModelVersionLoaded(id.name(), id.version(), seconds, true));
                coldStarts.incrementAndGet();
                log.info("Loaded {} on demand in {} ms ({} bytes)", id, Math.round(seconds * 1000), bytes);
                return null;
            });
        } catch (IOException | RuntimeException failed) {
            if (e.resident == null || e.resident.model() != m) {
                m.network().close();
            }
            throw failed instanceof RuntimeException runtime
                    ? runtime
                    : new StoreUnavailableException(failed.getMessage(), failed);
        }
    }

    /**
     * Unloads the versions that may go, in {@link #EVICTION_ORDER}, until {@code bytes} more fit, or
     * refuses without unloading anything when they cannot. Under the registry's lock.
     */
    private void makeRoom(VersionId incoming, long bytes, List<RegistryEvent> events) {
        long max = budget.maxBytes();
        long used = loadedBytes();
        if (used + bytes <= max) {
            return;
        }
        List<Entry> candidates = index.all().stream()
                .filter(e -> e.resident != null
                        && !budget.keepsLoaded(e.descriptor.name())
                        && !e.id().equals(incoming)
                        && !loading.containsKey(e.id()))
                .map(e -> new Candidate(e, e.usedBefore, e.lastUsed))
                .sorted(EVICTION_ORDER)
                .map(Candidate::entry)
                .toList();
        List<Entry> victims = new ArrayList<>();
        long freed = 0;
        for (Entry c : candidates) {
            if (used - freed + bytes <= max) {
                break;
            }
            victims.add(c);
            freed += c.resident.bytes();
        }
        if (used - freed + bytes > max) {
            throw ModelMemoryException.budgetHeld(incoming, bytes, max - used + freed);
        }
        for (Entry v : victims) {
            long held = v.resident.bytes();
            if (index.unload(v)) {
                evictions.incrementAndGet();
                events.add(new RegistryEvent.ModelVersionEvicted(v.id(), held));
                log.info("Unloaded {} ({} bytes, least recently used) to make room for {}", v.id(), held, incoming);
            }
        }
    }

    /**
     * Which loaded versions leave first: LRU-2 (O'Neil, O'Neil and Weikum, 1993), the one whose request
     * before the last is oldest (requested once: first), ties least recently used first; the history
     * outlives unloads. Plain LRU let one-off requests to the long tail push out models called every
     * few seconds (docs/performance.md, "Many models under a memory budget").
     */
    private static final Comparator<Candidate> EVICTION_ORDER =
            Comparator.comparingLong(Candidate::usedBefore).thenComparingLong(Candidate::lastUsed);

    /** A loaded version's uses as they stood when room was needed: requests move the live fields. */
    private record Candidate(Entry entry, long usedBefore, long lastUsed) {}

    /** A version's network that no lease uses after its unload: its releaser takes it. */
    private void idle(Resident r) {
        index.retire(r.model());
        changes.tell(new ModelVersionUnloaded(r.model().id()));
    }
}
