package io.github.dl4jserving.inference;

import io.github.dl4jserving.registry.LoadedModel;
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
 * load; the service is ready when every model is, the configured default models among them.
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
        LoadedModel def = registry.defaultVersion(name);
        return inference.isWarm(name, def.version())
                ? new State("ready (version " + def.version() + ")", def.version())
                : new State("loading (version " + def.version() + ")", def.version());
    }

    /**
     * Every model in the registry and every configured default model, by name; in single-model mode
     * (KServe) the one model only.
     */
    public Map<String, State> all() {
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
        return allReady(all());
    }

    /** The service's rule: some models, and every one of them ready. */
    public static boolean allReady(Map<String, State> states) {
        return !states.isEmpty() && states.values().stream().allMatch(State::ready);
    }

    /** A specific version: loaded and warmed up. */
    public boolean versionReady(String name, int version) {
        return inference.isWarm(name, version);
    }
}
