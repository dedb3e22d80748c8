package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.ShippedModels;
import io.github.dl4jserving.inference.InferenceService;
import io.github.dl4jserving.inference.InferenceSettings;
import io.github.dl4jserving.platform.InferenceSlots;
import io.github.dl4jserving.platform.PlatformSettings;
import io.github.dl4jserving.platform.Rejections;
import io.github.dl4jserving.platform.RoutePolicy;
import io.github.dl4jserving.platform.SecuritySettings;
import io.github.dl4jserving.registry.ModelCatalog;
import io.github.dl4jserving.registry.ModelRegistry;
import io.github.dl4jserving.training.TrainingSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/**
 * The web layer alone (controllers, advice, filters) on MockMvc, backed by the real registry and
 * inference service over the shipped models rather than mocks.
 */
@WebMvcTest(controllers = {PredictController.class, ModelsController.class})
class ControllerSliceTest {

    @TestConfiguration
    @Import({RoutePolicy.class, InferenceSlots.class})
    static class RealBackEnd {
        @Bean
        SecuritySettings securitySettings() {
            return new SecuritySettings(null, false);
        }

        @Bean
        InferenceSettings inferenceSettings() {
            return ShippedModels.settings();
        }

        @Bean
        PlatformSettings platformSettings() {
            return WebSlice.defaultPlatformSettings();
        }

        @Bean
        TrainingSettings trainingSettings() {
            return new WebSlice().trainingSettings();
        }

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        Rejections rejections(SimpleMeterRegistry meters) {
            return new Rejections(meters);
        }

        @Bean
        ModelRegistry modelRegistry() {
            return ShippedModels.registry();
        }

        @Bean
        ModelCatalog modelCatalog(ModelRegistry registry) {
            return new ModelCatalog(registry);
        }

        @Bean
        InferenceService inferenceService() {
            return ShippedModels.inference();
        }
    }

    @Autowired
    MockMvcTester mvc;

    @Test
    void routesAMultipartImageToTheDefaultImageClassifier() {
        MockMultipartFile image = new MockMultipartFile("image", "seven.png", "image/png", ServingEndToEndTest.png(0));

        assertThat(mvc.post().uri("/predict").multipart().file(image))
                .hasStatusOk()
                .bodyJson()
                .hasPathSatisfying("$.model", v -> v.assertThat().isEqualTo("mnist-mlp"))
                .hasPathSatisfying(
                        "$.predictions[0].label", v -> v.assertThat().isEqualTo(ServingEndToEndTest.label(0)));
    }

    @Test
    void routesJsonRowsToTheDefaultTabularClassifierAndHonoursTheThreshold() {
        assertThat(mvc.post()
                        .uri("/predict?threshold=0.01")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(ServingEndToEndTest.BENIGN_ROW))
                .hasStatusOk()
                .bodyJson()
                .hasPathSatisfying("$.model", v -> v.assertThat().isEqualTo("breast-cancer-logreg"))
                .hasPathSatisfying(
                        "$.predictions[0].threshold", v -> v.assertThat().isEqualTo(0.01));
    }

    @Test
    void answersAnUnsupportedContentTypeWith415Problem() {
        assertThat(mvc.post().uri("/predict").contentType(MediaType.TEXT_PLAIN).content("seven"))
                .hasStatus(415)
                .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void answersAMissingModelWith404Problem() {
        assertThat(mvc.get().uri("/models/unknown"))
                .hasStatus(404)
                .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .hasPathSatisfying("$.detail", v -> v.assertThat().asString().contains("unknown"));
    }

    @Test
    void listsTheShippedModels() {
        assertThat(mvc.get().uri("/models"))
                .hasStatusOk()
                .bodyJson()
                .hasPathSatisfying(
                        "$[*].name",
                        v -> v.assertThat().asArray().contains("mnist-mlp", "breast-cancer-logreg", "mnist-dcgan"));
    }
}
