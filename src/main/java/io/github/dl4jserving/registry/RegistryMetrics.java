package io.github.dl4jserving.registry;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code dl4j.models.loaded} (versions in memory), {@code dl4j.model.load} (load time per
 * version) and {@code dl4j.model.load.failures} (per model).
 */
class RegistryMetrics implements MeterBinder {
    private final ModelRegistry registry;

    RegistryMetrics(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        Gauge.builder("dl4j.models.loaded", registry,
                r -> r.names().stream().mapToInt(n -> r.versions(n).size()).sum())
                .description("Model versions loaded and serving").register(meters);
        registry.onLoad(m -> Timer.builder("dl4j.model.load")
                .description("Time to load a model version from disk")
                .tags("model", m.name(), "version", Integer.toString(m.version()))
                .register(meters)
                .record((long) (m.loadSeconds() * 1e9), TimeUnit.NANOSECONDS));
        registry.onFailure(f -> Counter.builder("dl4j.model.load.failures")
                .description("Model versions on disk that failed to load")
                .tag("model", f.name())
                .register(meters)
                .increment());
    }
}
