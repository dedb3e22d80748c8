package io.github.dl4jserving.registry;

import java.io.IOException;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * The registry as the management API and the web layer see it: names, descriptors and the choice of
 * default, never a network or a file. Inference and training use {@link ModelRegistry} itself.
 */
@Service
public class ModelCatalog {
    private final ModelRegistry registry;

    public ModelCatalog(ModelRegistry registry) {
        this.registry = registry;
    }

    /** The model names with at least one version, sorted. */
    public List<String> names() {
        return registry.names();
    }

    /** The descriptor of {@code version} of {@code name}, or of its default when {@code version} is null. */
    public ModelDescriptor describe(String name, Integer version) {
        return registry.describe(name, version);
    }

    /** The descriptors of every version of {@code name}, loaded or not, ascending. */
    public List<ModelDescriptor> versions(String name) {
        return registry.listing(name).stream().map(VersionState::descriptor).toList();
    }

    /** Every version of {@code name} with whether it is in memory, what it holds and when it was last used. */
    public List<VersionState> listing(String name) {
        return registry.listing(name);
    }

    /** Unloads a version (every version when {@code version} is null); it loads again on its next request. */
    public List<VersionState> unload(String name, Integer version) throws IOException {
        return registry.unload(name, version);
    }

    /** Pins {@code version} as the default of {@code name}. */
    public ModelDescriptor setDefault(String name, int version) throws IOException {
        return registry.setDefault(name, version);
    }

    /** Deletes a version from disk and from service; never the default or the last one. */
    public void delete(String name, int version) throws IOException {
        registry.delete(name, version);
    }

    /** Deletes every version of a model, and its default; the numbers it used stay taken. */
    public void deleteModel(String name) throws IOException {
        registry.deleteModel(name);
    }
}
