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

    /** The model names with at least one loaded version, sorted. */
    public List<String> names() {
        return registry.names();
    }

    /** The descriptor of {@code version} of {@code name}, or of its default when {@code version} is null. */
    public ModelDescriptor describe(String name, Integer version) {
        return registry.get(name, version).descriptor();
    }

    /** The descriptors of every loaded version of {@code name}, ascending. */
    public List<ModelDescriptor> versions(String name) {
        return registry.versions(name).stream().map(LoadedModel::descriptor).toList();
    }

    /** Pins {@code version} as the default of {@code name}; it must be loaded. */
    public ModelDescriptor setDefault(String name, int version) throws IOException {
        return registry.setDefault(name, version).descriptor();
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
