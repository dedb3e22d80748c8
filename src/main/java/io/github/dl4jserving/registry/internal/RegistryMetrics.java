package io.github.dl4jserving.registry.internal;

import io.github.dl4jserving.registry.ModelRegistry;
import io.github.dl4jserving.registry.RegistryEvent.ModelVersionFailed;
import io.github.dl4jserving.registry.RegistryEvent.ModelVersionLoaded;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.springframework.context.event.EventListener;

/**
 * {@code dl4j.models.loaded} (versions in memory), {@code dl4j.model.load} (load time per
 * version) and {@code dl4j.model.load.failures} (per model), as the registry's events arrive: it
 * starts after every listener is there, so the versions of the first scan are announced too. The
 * failure count of every loaded model is there from its first load, at 0.
 */
class RegistryMetrics {
    private final MeterRegistry meters;

    RegistryMetrics(ModelRegistry registry, MeterRegistry meters) {
        this.meters = meters;
        Gauge.builder("dl4j.models.loaded", registry, r -> r.memory().loadedVersions())
                .description("Model versions in memory")
                .register(meters);
        Gauge.builder("dl4j.models.listed", registry, r -> r.memory().listedVersions())
                .description("Model versions the registry serves, in memory or loaded on their first request")
                .register(meters);
        Gauge.builder("dl4j.models.memory.used", registry, r -> r.memory().loadedBytes())
                .description("Memory the loaded versions hold: parameters and batch workers' working memory")
                .baseUnit("bytes")
                .register(meters);
        if (registry.budget().bounded()) {
            long max = registry.budget().maxBytes();
            Gauge.builder("dl4j.models.memory.max", () -> max)
                    .description("The memory budget of the loaded versions (dl4j-serving.registry.max-loaded-bytes)")
                    .baseUnit("bytes")
                    .register(meters);
        }
        FunctionCounter.builder(
                        "dl4j.model.evictions", registry, r -> r.memory().evictions())
                .description("Versions unloaded to make room under the memory budget")
                .register(meters);
    }

    @EventListener
    void loaded(ModelVersionLoaded event) {
        if (event.onDemand()) {
            Timer.builder("dl4j.model.cold.starts")
                    .description("Loads of a version by the first request that needed it, and their time")
                    .tag("model", event.name())
                    .publishPercentileHistogram()
                    .register(meters)
                    .record((long) (event.loadSeconds() * 1e9), TimeUnit.NANOSECONDS);
        }
        Timer.builder("dl4j.model.load")
                .description("Time to load a model version from disk")
                .tags("model", event.name(), "version", Integer.toString(event.version()))
                .register(meters)
                .record((long) (event.loadSeconds() * 1e9), TimeUnit.NANOSECONDS);
        failures(event.name()); // at 0 from the first load, so that dashboards and alerts can use it
    }

    @EventListener
    void failed(ModelVersionFailed event) {
        failures(event.name()).increment();
    }

    private Counter failures(String model) {
        return Counter.builder("dl4j.model.load.failures")
                .description("Model versions on disk that failed to load")
                .tag("model", model)
                .register(meters);
    }
}
