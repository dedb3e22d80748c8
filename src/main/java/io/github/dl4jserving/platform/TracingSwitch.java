package io.github.dl4jserving.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code dl4j-serving.tracing.enabled} ({@code DL4J_SERVING_TRACING_ENABLED}, false by default). Boot
 * 4 has no switch that removes tracing once the OpenTelemetry starter is on the classpath
 * ({@code management.tracing.export.enabled=false} stops export and propagation, but every request
 * still gets a span and every Prometheus histogram an exemplar lookup). Off, this leaves out the
 * auto-configurations that build the tracer, its observation handlers and the exemplars, so a
 * request pays nothing for tracing (docs/performance.md); Boot then supplies a no-op tracer.
 */
public class TracingSwitch implements EnvironmentPostProcessor, Ordered {
    public static final String ENABLED = "dl4j-serving.tracing.enabled";
    static final String EXCLUDE = "spring.autoconfigure.exclude";
    /** What builds a tracer and puts it on every observation; checked to exist by TracingSwitchTest. */
    public static final List<String> TRACING_AUTO_CONFIGURATIONS = List.of(
            "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.autoconfigure.prometheus.PrometheusExemplarsAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getProperty(ENABLED, Boolean.class, false)) {
            return;
        }
        List<String> excluded = new ArrayList<>();
        String already = environment.getProperty(EXCLUDE, "");
        if (!already.isBlank()) {
            excluded.add(already);
        }
        excluded.addAll(TRACING_AUTO_CONFIGURATIONS);
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource("dl4jServingTracingOff", Map.of(EXCLUDE, String.join(",", excluded))));
    }

    /** After the application's own properties are read. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
