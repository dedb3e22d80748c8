package io.github.dl4jserving.web;

import io.github.dl4jserving.inference.InferenceSettings;
import io.github.dl4jserving.platform.InferenceSlots;
import io.github.dl4jserving.platform.PlatformSettings;
import io.github.dl4jserving.platform.Rejections;
import io.github.dl4jserving.platform.RoutePolicy;
import io.github.dl4jserving.platform.SecuritySettings;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelKind;
import io.github.dl4jserving.training.TrainingSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.util.unit.DataSize;

/**
 * What a controller slice needs besides the controller and its mocked module API: the platform's
 * filters' settings, meters, in-flight slots and route policy (read from the slice's own handler mappings), and the
 * settings records the controllers read. The settings are
 * the service's defaults.
 */
@TestConfiguration
@Import({RoutePolicy.class, InferenceSlots.class})
class WebSlice {
    @Bean
    SecuritySettings securitySettings() {
        return new SecuritySettings(null, false);
    }

    @Bean
    PlatformSettings platformSettings() {
        return defaultPlatformSettings();
    }

    /** The HTTP edge's settings with the service's defaults. */
    static PlatformSettings defaultPlatformSettings() {
        return new PlatformSettings(
                DataSize.ofMegabytes(10),
                1,
                64,
                java.time.Duration.ofSeconds(10),
                DataSize.ofKilobytes(64),
                384,
                1000,
                16);
    }

    @Bean
    InferenceSettings inferenceSettings() {
        return InferenceSettings.defaults();
    }

    @Bean
    TrainingSettings trainingSettings() {
        return new TrainingSettings(1, 4, Duration.ofSeconds(20), Duration.ofHours(6), null);
    }

    @Bean
    SimpleMeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }

    @Bean
    IdleEventStreams idleEventStreams() {
        return new IdleEventStreams();
    }

    @Bean
    Rejections rejections(SimpleMeterRegistry meters) {
        return new Rejections(meters);
    }

    /** Version {@code v} of an mnist-mlp, as the catalog describes it, for the model slices. */
    static ModelDescriptor mlpVersion(int v) {
        return new ModelDescriptor(
                "mnist-mlp",
                v,
                ModelKind.IMAGE_CLASSIFIER,
                null,
                "an MLP",
                null,
                null,
                Map.of("test_accuracy", 0.98),
                null);
    }
}
