package io.github.dl4jserving.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationContext;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.PublishedEvents;
import org.springframework.test.context.ActiveProfiles;

/**
 * The registry module started alone with the platform it depends on: its lifecycle seeds the store
 * from the shipped models and loads them, and its changes reach listeners as events.
 */
@ApplicationModuleTest(ApplicationModuleTest.BootstrapMode.DIRECT_DEPENDENCIES)
@ActiveProfiles("module")
class RegistryModuleTest {
    private final ModelRegistry registry;
    private final ApplicationContext context;

    RegistryModuleTest(ModelRegistry registry, ApplicationContext context) {
        this.registry = registry;
        this.context = context;
    }

    @Test
    void startsAloneAndServesTheShippedModels() {
        assertThat(registry.names())
                .containsAll(List.of("breast-cancer-logreg", "mnist-dcgan", "mnist-mlp", "mnist-softmax"));
        assertThat(registry.failures()).isEmpty();
        assertThat(context.getBeanNamesForType(io.github.dl4jserving.inference.InferenceService.class))
                .as("the inference module is not started")
                .isEmpty();
    }

    @Test
    void aNewDefaultIsAnnounced(PublishedEvents events) throws Exception {
        LoadedModel current = registry.defaultVersion("mnist-dcgan");
        LoadedModel other = registry.versions("mnist-dcgan").stream()
                .filter(m -> m.version() != current.version())
                .findFirst()
                .orElseThrow();

        registry.setDefault("mnist-dcgan", other.version());

        assertThat(events.ofType(RegistryEvent.DefaultVersionChanged.class)
                        .matching(e -> e.version() == other.version()))
                .hasSize(1);
        assertThat(registry.defaultVersion("mnist-dcgan").version()).isEqualTo(other.version());
    }
}
