package io.github.dl4jserving.training.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jserving.training.InvalidHyperparameterException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.FixedSchedule;

/** Request hyperparameters checked against a trainer's catalogue, and the optimizer names. */
class TrainingOptionsTest {
    private final MnistMlpTrainer mlp = new MnistMlpTrainer();

    @Test
    void fillsDefaultsAndKeepsWhatWasGiven() {
        TrainingOptions.Parsed p = TrainingOptions.parse(
                Map.of("epochs", 3, "optimizer", "rmsprop", "learningRate", 0.01), mlp.hyperparameters());
        assertThat(p.options().epochs()).isEqualTo(3);
        assertThat(p.options().optimizer()).isEqualTo("rmsprop");
        assertThat(p.options().batchSize()).isEqualTo(128);
        assertThat(p.values()).containsEntry("dropout", 0.2).containsEntry("seed", 42);
    }

    @Test
    void acceptsWholeNumbersWrittenAsDoublesButNotFractions() {
        assertThat(TrainingOptions.parse(Map.of("epochs", 2.0), mlp.hyperparameters())
                        .options()
                        .epochs())
                .isEqualTo(2);
        assertThatThrownBy(() -> TrainingOptions.parse(Map.of("epochs", 2.5), mlp.hyperparameters()))
                .isInstanceOf(InvalidHyperparameterException.class)
                .hasMessageContaining("integer");
    }

    @Test
    void refusesUnknownWrongTypedAndOutOfRangeValuesNamingTheField() {
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("batchSize", 0),
                Map.of("learningRate", Double.NaN),
                Map.of("l2", "0.1"),
                Map.of("dropout", 0.95),
                Map.of("optimizer", "ADAM"),
                Map.of("warmup", 1))) {
            String name = bad.keySet().iterator().next();
            assertThatThrownBy(() -> TrainingOptions.parse(bad, mlp.hyperparameters()))
                    .isInstanceOf(InvalidHyperparameterException.class)
                    .satisfies(e -> assertThat(((InvalidHyperparameterException) e).field())
                            .isEqualTo("hyperparameters." + name));
        }
    }

    @Test
    void mapsEveryOptimizerNameToADl4jUpdater() {
        Set<String> classes = new HashSet<>();
        for (String name : Optimizers.NAMES) {
            classes.add(
                    Optimizers.updater(name, new FixedSchedule(0.01)).getClass().getSimpleName());
        }
        // momentum and nesterov share Nesterovs, the only momentum updater DL4J has; adam is DL4J's Adam
        // computed by FusedAdam's loop.
        assertThat(classes)
                .containsExactlyInAnyOrder(
                        "Sgd",
                        "Nesterovs",
                        "AdaGrad",
                        "RmsProp",
                        "AdaDelta",
                        "FusedAdam",
                        "AdaMax",
                        "Nadam",
                        "AMSGrad");
    }
}
