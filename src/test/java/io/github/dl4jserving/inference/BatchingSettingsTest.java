package io.github.dl4jserving.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Binding {@code dl4j-serving.batching.*} as the application does, with per-model overrides. */
class BatchingSettingsTest {

    private static BatchingSettings bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("dl4j-serving.batching", BatchingSettings.class);
    }

    @Test
    void aModelWithoutOverridesGetsTheGlobalKnobsAndTheDefaultReplicaCount() {
        BatchingSettings settings = bind(Map.of("dl4j-serving.batching.max-batch-size", "32"));

        assertThat(settings.forModel("mnist-mlp", 2)).isEqualTo(new BatchingSettings.Knobs(32, Duration.ZERO, 256, 2));
    }

    @Test
    void perModelValuesOverrideOnlyWhatTheyName() {
        BatchingSettings settings = bind(Map.of(
                "dl4j-serving.batching.max-delay", "2ms",
                "dl4j-serving.batching.workers", "3",
                "dl4j-serving.batching.models.mnist-dcgan.max-batch-size", "16",
                "dl4j-serving.batching.models.mnist-dcgan.workers", "1",
                "dl4j-serving.batching.models.breast-cancer-logreg.queue-capacity", "1024"));

        assertThat(settings.forModel("mnist-dcgan", 2))
                .isEqualTo(new BatchingSettings.Knobs(16, Duration.ofMillis(2), 256, 1));
        assertThat(settings.forModel("breast-cancer-logreg", 2))
                .isEqualTo(new BatchingSettings.Knobs(64, Duration.ofMillis(2), 1024, 3));
        assertThat(settings.forModel("mnist-mlp", 2))
                .isEqualTo(new BatchingSettings.Knobs(64, Duration.ofMillis(2), 256, 3));
    }

    @Test
    void refusesAKnobThatCouldNotWorkAndNamesTheProperty() {
        assertThatThrownBy(() -> bind(Map.of("dl4j-serving.batching.models.mnist-mlp.max-batch-size", "0")))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessageContaining("dl4j-serving.batching.models.mnist-mlp.max-batch-size must be at least 1");
        assertThatThrownBy(() -> bind(Map.of("dl4j-serving.batching.queue-capacity", "-5")))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessageContaining("queue-capacity must be at least 1");
    }

    private static InferenceSettings bindInference(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("dl4j-serving", InferenceSettings.class);
    }

    @Test
    void theDeprecatedWorkersPerModelStillSetsTheReplicasUnlessBatchingWorkersIsSet() {
        Map<String, String> old = Map.of("dl4j-serving.workers-per-model", "3");
        assertThat(bind(old)
                        .forModel("mnist-mlp", bindInference(old).workersPerModel())
                        .workers())
                .isEqualTo(3);

        Map<String, String> both = Map.of("dl4j-serving.workers-per-model", "3", "dl4j-serving.batching.workers", "1");
        assertThat(bind(both)
                        .forModel("mnist-mlp", bindInference(both).workersPerModel())
                        .workers())
                .isEqualTo(1);

        Map<String, String> neither = Map.of();
        assertThat(bind(neither)
                        .forModel("mnist-mlp", bindInference(neither).workersPerModel())
                        .workers())
                .isEqualTo(1);
    }

    @Test
    void theWaitForABatchIsASettingOfThirtySecondsByDefault() {
        assertThat(bind(Map.of()).maxWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(bind(Map.of("dl4j-serving.batching.max-wait", "5s")).maxWait())
                .isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> bind(Map.of("dl4j-serving.batching.max-wait", "0s")))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessageContaining("max-wait must be positive");
    }
}
