package io.github.dl4jserving.registry;

import io.github.dl4jserving.registry.ModelRegistry.Published;
import io.github.dl4jserving.registry.RegistryEvent.DefaultVersionChanged;
import io.github.dl4jserving.registry.RegistryEvent.ModelVersionLoaded;
import io.github.dl4jserving.registry.RegistryEvent.ModelVersionRetired;
import io.github.dl4jserving.registry.internal.ModelStore;
import io.github.dl4jserving.registry.internal.VersionLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's writes: new versions (uploaded or trained) with the contract check and the
 * promotion decision, default pins, deletions. Each is one {@link RegistryChanges#make change}: it
 * writes the store, then the {@link VersionIndex}, under the lock, and its events follow.
 */
final class VersionPublisher {
    private static final Logger log = LoggerFactory.getLogger(VersionPublisher.class);

    private final ModelStore store;
    private final VersionIndex index;
    private final RegistryChanges changes;
    private final ModelMemory memory;

    VersionPublisher(ModelStore store, VersionIndex index, RegistryChanges changes, ModelMemory memory) {
        this.store = store;
        this.index = index;
        this.changes = changes;
        this.memory = memory;
    }

    LoadedModel upload(
            ModelDescriptor descriptor, Path modelZip, Consumer<LoadedModel> check, boolean allowSchemaChange)
            throws IOException {
        LoadedModel loaded = changes.make(events -> {
            // The network is checked first, so a version that is both broken and different gets the
            // 422 that says what is broken; only a version that would serve gets the 409.
            List<String> contractChanges = changesAgainstDefault(descriptor);
            ModelDescriptor toWrite = contractChanges.isEmpty() || !allowSchemaChange
                    ? descriptor
                    : descriptor.withSchemaChange(new ModelDescriptor.SchemaChange(
                            index.defaultEntry(descriptor.name()).version(), contractChanges));
            Consumer<LoadedModel> checks = contractChanges.isEmpty() || allowSchemaChange
                    ? check
                    : check.andThen(candidate -> {
                        throw contractConflict(descriptor.name(), contractChanges, "?allowSchemaChange=true");
                    });
            LoadedModel written = VersionLoader.writeUploaded(store, toWrite, modelZip, checks);
            list(written, events);
            return written;
        });
        log.info("Added uploaded {} version {}", loaded.name(), loaded.version());
        if (loaded.descriptor().schemaChange() != null) {
            log.warn(
                    "{} version {} changes the model's contract against version {}: {}",
                    loaded.name(),
                    loaded.version(),
                    loaded.descriptor().schemaChange().fromVersion(),
                    loaded.descriptor().schemaChange().changes());
        }
        return loaded;
    }

    Published publish(
            ModelDescriptor descriptor, MultiLayerNetwork network, DataNormalization normalizer, PromotionRule rule)
            throws IOException {
        long start = System.nanoTime();
        String name = descriptor.name();
        Published published = changes.make(events -> {
            List<String> contractChanges = changesAgainstDefault(descriptor);
            if (!contractChanges.isEmpty()) {
                throw contractConflict(name, contractChanges, null);
            }
            ModelDescriptor current = index.hasVersions(name) ? index.defaultEntry(name).descriptor : null;
            PromotionRule.Decision decision = rule.decide(descriptor, current);
            if (!decision.promote() && current != null) {
                pin(name, current.version());
            }
            ModelStore.WrittenVersion written = store.writeNewVersion(descriptor, network, normalizer);
            LoadedModel loaded = VersionLoader.restore(written.descriptor(), written.directory(), start);
            list(loaded, events);
            if (decision.promote()) {
                pin(name, loaded.version());
                events.add(new DefaultVersionChanged(name, loaded.version()));
            }
            return new Published(loaded, decision);
        });
        log.info(
                "Published {} version {}{}",
                name,
                published.model().version(),
                published.decision().promote() ? " as the default" : "");
        return published;
    }

    ModelDescriptor setDefault(String name, int version) throws IOException {
        return changes.make(events -> {
            VersionIndex.Entry target = index.resolve(name, version);
            pin(name, version);
            events.add(new DefaultVersionChanged(name, version));
            return target.descriptor;
        });
    }

    void delete(String name, int version) throws IOException {
        changes.make(events -> {
            VersionIndex.Entry victim = index.resolve(name, version);
            if (index.entries(name).size() == 1) {
                throw new ModelConflictException("Version " + version + " is the last version of '" + name
                        + "'. To delete it, delete the model (DELETE /models/" + name + ").");
            }
            if (index.defaultEntry(name).version() == version) {
                throw new ModelConflictException("Version " + version + " is the default of '" + name + "'. Make "
                        + "another version the default first (PUT /models/" + name + "/default).");
            }
            store.deleteVersion(name, version);
            events.add(new ModelVersionRetired(victim.id()));
            index.remove(victim.id()); // its network's release follows the retirement
            return null;
        });
    }

    void deleteModel(String name) throws IOException {
        changes.make(events -> {
            for (VersionIndex.Entry e : index.entries(name)) {
                store.deleteVersion(name, e.version());
                events.add(new ModelVersionRetired(e.id()));
                index.remove(e.id());
            }
            index.setPin(name, Optional.empty());
            store.unpinDefault(name);
            return null;
        });
    }

    /** How {@code candidate} changes the contract of its model's current default; empty for a new model. */
    private List<String> changesAgainstDefault(ModelDescriptor candidate) {
        return index.hasVersions(candidate.name())
                ? ModelDescriptor.contractChanges(index.defaultEntry(candidate.name()).descriptor, candidate)
                : List.of();
    }

    private ModelConflictException contractConflict(String name, List<String> changes, String howToAllow) {
        return new ModelConflictException("A new version of '" + name + "' would change the contract its clients "
                + "rely on, against the default (version "
                + index.defaultEntry(name).version() + "): "
                + String.join("; ", changes) + ". Use another model name"
                + (howToAllow == null ? "." : ", or, if the change is meant, " + howToAllow + "."));
    }

    private void pin(String name, int version) throws IOException {
        store.pinDefault(name, version);
        index.setPin(name, Optional.of(version));
    }

    /**
     * Lists a version just written, in memory if the budget makes room for it; else it stays on disk
     * and loads on its first request.
     */
    private void list(LoadedModel m, List<RegistryEvent> events) {
        Resident resident = memory.admit(m, events);
        index.add(m.descriptor(), m.directory(), resident);
        if (resident != null) {
            events.add(new ModelVersionLoaded(m.name(), m.version(), m.loadSeconds()));
        }
    }
}
