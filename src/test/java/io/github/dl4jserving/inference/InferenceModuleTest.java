package io.github.dl4jserving.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jserving.ModuleBeans;
import io.github.dl4jserving.registry.ModelRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationContext;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The inference module started with the modules it uses (registry, data sets, platform) and no web
 * layer or trainer: its lifecycle warmed every default, and it answers a table row and refuses a
 * bad one through its own API.
 */
@ApplicationModuleTest(ApplicationModuleTest.BootstrapMode.DIRECT_DEPENDENCIES)
@ActiveProfiles("module")
class InferenceModuleTest {
    private final ApplicationContext context;
    private final InferenceService inference;
    private final ModelRegistry registry;

    InferenceModuleTest(ApplicationContext context, InferenceService inference, ModelRegistry registry) {
        this.context = context;
        this.inference = inference;
        this.registry = registry;
    }

    @Test
    void startsWithoutTheWebLayerWarmsTheDefaultsAndAnswers() {
        assertThat(ModuleBeans.modules(context)).containsExactly("datasets", "inference", "platform", "registry");
        for (String name : registry.names()) {
            assertThat(inference.isWarm(name, registry.defaultVersion(name).version()))
                    .as(name)
                    .isTrue();
        }

        Map<String, Object> row = Map.of(
                "clump_thickness",
                8,
                "uniformity_cell_size",
                10,
                "uniformity_cell_shape",
                10,
                "marginal_adhesion",
                8,
                "single_epithelial_cell_size",
                7,
                "bare_nuclei",
                10,
                "bland_chromatin",
                9,
                "normal_nucleoli",
                7,
                "mitoses",
                1);
        Answers.TabularClassification answer =
                inference.classifyRows("breast-cancer-logreg", null, List.of(row), List.of("row"), 0.5);
        assertThat(answer.predictions()).hasSize(1);
        assertThat(answer.predictions().get(0).label()).isEqualTo("malignant");

        assertThatThrownBy(() -> inference.classifyRows(
                        "breast-cancer-logreg", null, List.of(Map.of("clump_thickness", 8)), List.of("row"), 0.5))
                .isInstanceOf(InvalidInputException.class);
    }
}
