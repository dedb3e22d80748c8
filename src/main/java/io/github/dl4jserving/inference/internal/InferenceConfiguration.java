package io.github.dl4jserving.inference.internal;

import io.github.dl4jserving.inference.BatchingSettings;
import io.github.dl4jserving.inference.InferenceService;
import io.github.dl4jserving.inference.InferenceSettings;
import io.github.dl4jserving.platform.LifecyclePhases;
import io.github.dl4jserving.registry.ModelRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The inference module's wiring and start: the version queues (closed with the context, which stops
 * their lifecycle thread), the metrics and the tracing are built here; the defaults warm up once the
 * registry has loaded them, before the server opens.
 */
@Configuration(proxyBeanMethods = false)
class InferenceConfiguration {
    private static final Logger log = LoggerFactory.getLogger(InferenceConfiguration.class);

    @Bean
    InferenceMetrics inferenceMetrics(MeterRegistry meters) {
        return new InferenceMetrics(meters);
    }

    @Bean
    InferenceTracing inferenceTracing(ObjectProvider<Tracer> tracer) {
        return new InferenceTracing(tracer.getIfAvailable(() -> Tracer.NOOP));
    }

    @Bean
    VersionQueues versionQueues(
            ModelRegistry registry,
            BatchingSettings batching,
            InferenceSettings settings,
            InferenceMetrics metrics,
            InferenceTracing tracing) {
        if (settings.workersPerModel() != null) {
            log.warn("dl4j-serving.workers-per-model is deprecated; set dl4j-serving.batching.workers instead");
        }
        VersionQueues queues = new VersionQueues(registry, batching, settings.workersPerModel(), metrics, tracing);
        // Before the registry starts: its first loads are counted against the budget with their workers.
        registry.measureWith(queues::footprint);
        return queues;
    }

    @Bean
    SmartLifecycle inferenceLifecycle(InferenceService inference) {
        return LifecyclePhases.at(LifecyclePhases.INFERENCE, inference::warmUpDefaults);
    }
}
