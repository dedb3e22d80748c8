package io.github.dl4jserving.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.Tracer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Tracing is off unless {@code dl4j-serving.tracing.enabled}: the service as it starts by default has
 * only Boot's no-op tracer, and the switch leaves the user's own exclusions in place.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TracingSwitchTest {
    @Autowired
    ApplicationContext context;

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", properties));
        new TracingSwitch().postProcessEnvironment(env, new SpringApplication());
        return env;
    }

    @Test
    void theServiceStartsWithANoOpTracerAndNoTracingHandlers() {
        assertThat(context.getBean(Tracer.class)).isSameAs(Tracer.NOOP);
        assertThat(context.getBeanNamesForType(io.opentelemetry.api.trace.Tracer.class))
                .isEmpty();
        assertThat(context.containsBean("tracingObservationHandlerGroup")).isFalse();
    }

    @Test
    void offItExcludesTracingAndKeepsOtherExclusionsOnItChangesNothing() throws Exception {
        for (String name : TracingSwitch.TRACING_AUTO_CONFIGURATIONS) {
            assertThat(Class.forName(name)).as("Boot still has " + name).isNotNull();
        }
        String off =
                environment(Map.of(TracingSwitch.EXCLUDE, "com.example.Mine")).getProperty(TracingSwitch.EXCLUDE);
        assertThat(List.of(off.split(",")))
                .startsWith("com.example.Mine")
                .containsAll(TracingSwitch.TRACING_AUTO_CONFIGURATIONS);
        assertThat(environment(Map.of(TracingSwitch.ENABLED, "true")).getProperty(TracingSwitch.EXCLUDE))
                .isNull();
    }
}
