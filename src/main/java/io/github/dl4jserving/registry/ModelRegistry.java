package io.github.dl4jserving.registry;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.github.dl4jserving.registry.internal.ModelStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Every version in the store, listed, and in memory as the {@link MemoryBudget} allows: without a
 * limit all are loaded at start-up; with one, a version loads on the first request that needs it
 * and the least recently used make room. A version that cannot be loaded (a missing, truncated or
 * foreign file, a descriptor that does not match its directory) is skipped, logged and listed by
 * {@link #failures()}; the others serve as usual.
 *
 * <p>A facade over four parts: the {@link VersionIndex} (what is listed and loaded, the pins, the
 * failures; requests read it without a lock), the {@link StoreReconciler} (rescans and the store's
 * health), the {@link VersionPublisher} (new versions, promotion, pins, deletions) and the
 * {@link ModelMemory} (loads on demand, leases, the budget). Changes are made under one lock and
 * announced as {@link RegistryEvent}s after it is released, in the order they were made
 * ({@link RegistryChanges}).
 */
public class ModelRegistry {
    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    private final ModelStore store;
    private final VersionIndex index = new VersionIndex();
    private final StoreReconciler reconciler;
    private final VersionPublisher publisher;
    private final RegistryChanges changes;
    private final ModelMemory memory;

    /** A registry with no memory limit: every version is loaded at start-up. */
    public ModelRegistry(ModelStore store, ApplicationEventPublisher events) {
        this(store, events, MemoryBudget.UNLIMITED);
    }

    /**
     * A registry over {@code store} that holds nothing yet: {@link #start} reads the store. The
     * service starts it in its lifecycle, once every listener of {@code events} is there.
     */
    public ModelRegistry(ModelStore store, ApplicationEventPublisher events, MemoryBudget budget) {
        this.store = store;
        this.changes = new RegistryChanges(events);
        this.memory = new ModelMemory(budget, index, changes);
        this.reconciler = new StoreReconciler(store, index, changes, memory);
        this.publisher = new VersionPublisher(store, index, changes, memory);
    }

    /** A started registry that announces nothing: for tools and tests that need no listeners. */
    public static ModelRegistry open(ModelStore store) {
        return open(store, event -> {});
    }

    /** A started registry. */
    public static ModelRegistry open(ModelStore store, ApplicationEventPublisher events) {
        ModelRegistry registry = new ModelRegistry(store, events);
        registry.start();
        return registry;
    }

    /**
     * Removes what an interrupted write left in the store, loads every version and announces each
     * as loaded (or failed).
     */
    public void start() {
        store.removeLeftovers();
        refresh();
        log.info(
                "Model registry at {}: {} model(s), {} version(s), {} loaded, {} failed{}",
                store.location(),
                index.names().size(),
                index.versionCount(),
                memory.state().loadedVersions(),
                index.failures().size(),
                memory.budget().bounded()
                        ? "; memory budget " + memory.budget().maxBytes() + " bytes, " + memory.loadedBytes() + " held"
                        : "");
    }

    /**
     * Brings memory in line with the store: loads versions that appeared since the last scan, retries
     * failed ones whose files changed, drops versions deleted by another process, and re-reads the
     * pinned defaults. When the store cannot be read, what is loaded keeps serving and
     * {@link #storeProblem()} says why. Returns how many versions were newly loaded.
     */
    public int refresh() {
        return reconciler.refresh();
    }

    /** Why the store could not be read at the last scan, and since when, if it could not. */
    public Optional<StoreProblem> storeProblem() {
        return reconciler.storeProblem();
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
        return publisher.upload(descriptor, modelZip, check, allowSchemaChange);
    }

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
        return publisher.publish(descriptor, network, normalizer, rule);
    }

    /** Pins {@code version} as the default of {@code name}. */
    public ModelDescriptor setDefault(String name, int version) throws IOException {
        return publisher.setDefault(name, version);
    }

    /** Deletes a version from disk and from service; never the default or the last one. */
    public void delete(String name, int version) throws IOException {
        publisher.delete(name, version);
    }

    /**
     * Deletes every version of {@code name}, and its pinned default. Its numbers stay taken: shipped
     * versions are not seeded again, and a later upload under the name starts after them.
     */
    public void deleteModel(String name) throws IOException {
        publisher.deleteModel(name);
    }

    /** The model names with at least one version, sorted. */
    public List<String> names() {
        return index.names();
    }

    /** The descriptor of {@code version} of {@code name}, or of its default when null; nothing is loaded. */
    public ModelDescriptor describe(String name, Integer version) {
        return index.resolve(name, version).descriptor;
    }

    /** Every version of {@code name}, loaded or not, ascending, with what it holds in memory. */
    public List<VersionState> listing(String name) {
        return index.entries(name).stream().map(VersionState::of).toList();
    }

    /**
     * {@code version} of {@code name} (its default when null) held for one request, loaded first if
     * it is not in memory: close the lease when the request is done. Refused with
     * {@link ModelMemoryException} when the budget cannot hold it.
     */
    public ModelLease lease(String name, Integer version) {
        return memory.lease(name, version);
    }

    /** A lease on {@code version} of {@code name} (its default when null) if it is in memory now; nothing is loaded. */
    public Optional<ModelLease> leaseIfLoaded(String name, Integer version) {
        VersionIndex.Entry e = index.resolve(name, version);
        Resident r = e.resident;
        return r != null && r.acquire() ? Optional.of(new ModelLease(r)) : Optional.empty();
    }

    /** Whether {@code version} of {@code name} is in memory now. */
    public boolean isLoaded(String name, int version) {
        return index.entry(new VersionId(name, version))
                .map(VersionIndex.Entry::loaded)
                .orElse(false);
    }

    /**
     * Takes {@code version} of {@code name} (every version when null) out of memory; its network is
     * released after its in-flight requests. It stays listed and loads again on its next request;
     * until then it is not ready. A model in {@code keep-loaded} cannot be unloaded.
     */
    public List<VersionState> unload(String name, Integer version) throws IOException {
        return memory.unload(name, version);
    }

    /** What the loaded versions hold against the budget, and how often versions came and went. */
    public MemoryState memory() {
        return memory.state();
    }

    /**
     * What a loaded version holds in memory, from now on: the service counts each version's batch
     * workers' memory with its parameters.
     */
    public void measureWith(ToLongFunction<LoadedModel> footprint) {
        memory.footprint(footprint);
    }

    /** The bytes of a loaded network's parameters (its updater state is not kept for serving). */
    public static long parameterBytes(LoadedModel m) {
        return m.network().numParams() * m.network().params().dataType().width();
    }

    /** The memory budget the registry keeps to ({@link MemoryBudget#UNLIMITED} without one). */
    public MemoryBudget budget() {
        return memory.budget();
    }

    /** The loaded versions of {@code name}, ascending. */
    public List<LoadedModel> versions(String name) {
        return index.loaded(name);
    }

    /**
     * The default version of {@code name}, loaded if need be but not leased: for tools and tests.
     * With a budget, requests take a {@link #lease}, so that an unload waits for them.
     */
    public LoadedModel defaultVersion(String name) {
        return get(name, null);
    }

    /**
     * {@code version} of {@code name}, or the default version when {@code version} is null, loaded if
     * need be but not leased: for tools and tests. With a budget, requests take a {@link #lease}.
     */
    public LoadedModel get(String name, Integer version) {
        try (ModelLease lease = memory.lease(name, version)) {
            return lease.model();
        }
    }

    /**
     * The versions unloaded under {@code id} ({@link RegistryEvent.ModelVersionUnloaded}) whose networks
     * nobody has taken yet: the taker releases them. Empty when taken before.
     */
    public List<LoadedModel> takeRetired(VersionId id) {
        return index.takeRetired(id);
    }

    /** Versions that are on disk but could not be loaded. */
    public List<LoadFailure> failures() {
        return index.failures();
    }

    /** Whether the version that should be the default, the pinned one or else the highest on disk, failed. */
    public boolean intendedDefaultFailed(String name) {
        return reconciler.intendedDefaultFailed(name);
    }

    /** The outcome of {@link #publish}: the version written and whether it became the default. */
    public record Published(LoadedModel model, PromotionRule.Decision decision) {}

    /** The store could not be read: {@code reason}, since {@code since}. */
    public record StoreProblem(String reason, Instant since) {}

    /** A version on disk that failed to load, and why. */
    public record LoadFailure(
            String name,
            int version,
            String reason,
            @JsonIgnore String stamp) {}
}
