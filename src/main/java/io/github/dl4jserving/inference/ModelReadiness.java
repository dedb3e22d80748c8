package io.github.dl4jserving.inference;

import io.github.dl4jserving.registry.ModelRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/**
 * Whether the service, and each model, is ready: the one place Actuator's readiness group, the Open
 * Inference Protocol's {@code /v2/health/ready} and {@code /v2/models/{m}/ready}, and
 * {@code /models/{name}/ready} all ask. A model is ready when its default version is loaded and
 * warmed up and its intended default (the pinned or the highest version on disk) did not fail to
 * load; the service is ready when every model is, the configured default models among them. With a
 * memory budget ({@code dl4j-serving.registry.max-loaded-bytes}) the service waits only for the
 * models kept loaded ({@code keep-loaded}); another model that is not in memory is not ready, and
 * loads on its first request.
 */
@Component
public class ModelReadiness {
    private final ModelRegistry registry;
    private final InferenceService inference;
    private final InferenceSettings properties;

    public ModelReadiness(ModelRegistry registry, InferenceService inference, InferenceSettings properties) {
        this.registry = registry;
        this.inference = inference;
        this.properties = properties;
    }

    /** One model's state; {@link #ready()} when it can serve its default version now. */
    public record State(String description, Integer defaultVersion) {
        public boolean ready() {
            return description.startsWith("ready");
        }
    }

    public State of(String name) {
        if (!registry.names().contains(name)) {
            return new State("missing", null);
        }
        if (registry.intendedDefaultFailed(name)) {
            return new State("default version failed to load", null);
        }
        int def = registry.describe(name, null).version();
        if (!registry.isLoaded(name, def)) {
            return new State("not loaded (version " + def + "): loads on its first request", def);
        }
        return inference.isWarm(name, def)
                ? new State("ready (version " + def + ")", def)
                : new State("loading (version " + def + ")", def);
    }

    /**
     * The models the service's readiness waits for, by name: every model in the registry and every
     * configured default model; in single-model mode (KServe) the one model only; with a memory
     * budget, the models kept loaded.
     */
    public Map<String, State> all() {
        if (registry.budget().bounded()) {
            Map<String, State> states = new LinkedHashMap<>();
            registry.budget().keepLoaded().stream().sorted().forEach(name -> states.put(name, of(name)));
            return states;
        }
        TreeSet<String> names = new TreeSet<>(registry.names());
        registry.singleModel().ifPresent(names::add);
        for (String configured : registry.singleModel().isPresent()
                ? new String[0]
                : new String[] {
                    properties.defaultImageModel(), properties.defaultTabularModel(), properties.defaultGeneratorModel()
                }) {
            if (configured != null && !configured.isBlank()) {
                names.add(configured);
            }
        }
        Map<String, State> states = new LinkedHashMap<>();
        for (String name : names) {
            states.put(name, of(name));
        }
        return states;
    }

    public boolean serviceReady() {
        return ready(all());
    }

    /**
     * The service's rule over the states of {@link #all()}: some models, and every one of them
     * ready; with a memory budget and no model kept loaded, a registry that lists some model.
     */
    public boolean ready(Map<String, State> states) {
        if (states.isEmpty()) {
            return registry.budget().bounded() && !registry.names().isEmpty();
        }
        return states.values().stream().allMatch(State::ready);
    }

    /** A specific version: in memory and warmed up. */
    public boolean versionReady(String name, int version) {
        return registry.isLoaded(name, version) && inference.isWarm(name, version);
    }
}
