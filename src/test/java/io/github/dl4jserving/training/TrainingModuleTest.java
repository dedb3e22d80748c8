package io.github.dl4jserving.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.ModuleBeans;
import io.github.dl4jserving.registry.ModelRegistry;
import io.github.dl4jserving.registry.RegistryEvent;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationContext;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.PublishedEvents;
import org.springframework.test.context.ActiveProfiles;

/**
 * The training module started with the modules it uses (registry, data sets, platform) and neither
 * the web layer nor inference: a job runs on its own executor, and its result is published to the
 * registry as the model's next version, announced by the registry's event.
 */
@ApplicationModuleTest(ApplicationModuleTest.BootstrapMode.DIRECT_DEPENDENCIES)
@ActiveProfiles("module")
class TrainingModuleTest {
    private final ApplicationContext context;
    private final TrainingJobs jobs;
    private final ModelRegistry registry;

    TrainingModuleTest(ApplicationContext context, TrainingJobs jobs, ModelRegistry registry) {
        this.context = context;
        this.jobs = jobs;
        this.registry = registry;
    }

    @Test
    void aJobTrainsAndItsResultIsTheModelsNextVersion(PublishedEvents events) throws InterruptedException {
        assertThat(ModuleBeans.modules(context)).containsExactly("datasets", "platform", "registry", "training");
        int before = registry.defaultVersion("salary-polyreg").version();

        TrainingJob queued = jobs.submit("salary-polyreg", null, Map.of("epochs", 200), "always", null);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!jobs.get(queued.id()).status().isFinal() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        TrainingJob done = jobs.get(queued.id());
        assertThat(done.status()).as(done.error()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.resultVersion()).isGreaterThan(before);
        assertThat(registry.defaultVersion("salary-polyreg").version()).isEqualTo(done.resultVersion());
        assertThat(events.ofType(RegistryEvent.ModelVersionLoaded.class)
                        .matching(e -> e.name().equals("salary-polyreg") && e.version() == done.resultVersion()))
                .hasSize(1);
    }
}
