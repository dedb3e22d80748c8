package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyDouble;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.github.dl4jserving.inference.Answers;
import io.github.dl4jserving.inference.ImageInput;
import io.github.dl4jserving.inference.InferenceService;
import io.github.dl4jserving.inference.InvalidInputException;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelKind;
import io.github.dl4jserving.registry.ModelNotFoundException;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/** {@code /predict}, {@code /prepare} and {@code /generate} translate HTTP to the inference API and back. */
@WebMvcTest(PredictController.class)
@Import(WebSlice.class)
class PredictControllerTest {
    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    InferenceService inference;

    private static Answers.Classification seven() {
        Answers.LabelScore top = new Answers.LabelScore("7", 0.98);
        return new Answers.Classification("mnist-mlp", 1, List.of(new Answers.Prediction("7", 0.98, List.of(top))));
    }

    @Test
    void theRawImageMappingTakesTheTypesTheSpecLists() throws Exception {
        java.lang.reflect.Method raw = java.util.Arrays.stream(PredictController.class.getDeclaredMethods())
                .filter(m -> m.getName().equals("rawImage"))
                .findFirst()
                .orElseThrow();
        assertThat(raw.getAnnotation(org.springframework.web.bind.annotation.PostMapping.class)
                        .consumes())
                .as("the mapping's consumes and RAW_IMAGE_TYPES, which the OpenAPI spec lists")
                .containsExactly(PredictController.RAW_IMAGE_TYPES);
    }

    @Test
    void sendsEachMultipartImageToTheDefaultImageModelAndReturnsItsAnswer() {
        when(inference.classifyImages(eq("mnist-mlp"), isNull(), any(), isNull()))
                .thenReturn(seven());
        MockMultipartFile image = new MockMultipartFile("image", "7.png", "image/png", new byte[] {1, 2, 3});

        assertThat(mvc.post().uri("/predict").multipart().file(image))
                .hasStatusOk()
                .bodyJson()
                .hasPathSatisfying("$.predictions[0].label", v -> v.assertThat().isEqualTo("7"));
        @SuppressWarnings("unchecked")
        ArgumentCaptor<List<ImageInput>> images = ArgumentCaptor.forClass(List.class);
        verify(inference).classifyImages(eq("mnist-mlp"), isNull(), images.capture(), isNull());
        assertThat(images.getValue())
                .singleElement()
                .satisfies(i -> assertThat(i.file()).containsExactly(1, 2, 3));
    }

    @Test
    void namesTheModelFromThePathAndTheVersionAndKFromTheQuery() {
        when(inference.classifyImages(eq("my-digits"), eq(2), any(), eq(5))).thenReturn(seven());

        assertThat(mvc.post()
                        .uri("/predict/my-digits?version=2&k=5")
                        .contentType("image/png")
                        .content(new byte[] {9}))
                .hasStatusOk();
        verify(inference).classifyImages(eq("my-digits"), eq(2), any(), eq(5));
    }

    @Test
    void handsAJsonBodyToTheInferenceModuleAndWritesAGeneratorsDigitsAsAPngGridWhenAskedTo() {
        BufferedImage digit = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        when(inference.predictJson(isNull(), isNull(), any(), isNull(), anyDouble()))
                .thenReturn(new Answers.GeneratedDigits("mnist-dcgan", 3, 42L, List.of(digit, digit)));

        assertThat(mvc.post()
                        .uri("/predict?scale=2")
                        .contentType(MediaType.APPLICATION_JSON)
                        .accept(MediaType.IMAGE_PNG)
                        .content("{\"count\": 2, \"seed\": 42}"))
                .hasStatusOk()
                .hasContentType(MediaType.IMAGE_PNG)
                .hasHeader("X-Model", "mnist-dcgan")
                .hasHeader("X-Model-Version", "3")
                .hasHeader("X-Seed", "42");
        verify(inference).predictJson(isNull(), isNull(), eq(Map.of("count", 2, "seed", 42)), isNull(), eq(0.5));
    }

    @Test
    void routesCsvByTheKindOfTheVersionItResolvedOnceAndAsksThatVersion() {
        ModelDescriptor regressor = new ModelDescriptor(
                "salary-polyreg", 4, ModelKind.TABULAR_REGRESSOR, null, null, null, null, null, null);
        when(inference.describe("salary-polyreg", null)).thenReturn(regressor);
        when(inference.regressCsv("salary-polyreg", 4, "level\n6\n"))
                .thenReturn(new Answers.Regression("salary-polyreg", 4, 150000.0, List.of(150000.0)));

        assertThat(mvc.post()
                        .uri("/predict/salary-polyreg")
                        .contentType("text/csv")
                        .content("level\n6\n"))
                .hasStatusOk()
                .bodyJson()
                .hasPathSatisfying("$.prediction", v -> v.assertThat().isEqualTo(150000.0));
        verify(inference).regressCsv("salary-polyreg", 4, "level\n6\n");
    }

    @Test
    void answersTheModulesRefusalsAsProblemDetails() {
        when(inference.describe("nope", null)).thenThrow(new ModelNotFoundException("There is no model named 'nope'."));
        when(inference.generate(eq("mnist-dcgan"), isNull(), anyInt(), anyLong()))
                .thenThrow(new InvalidInputException("count", "count must be from 1 to 256, not 999."));

        assertThat(mvc.post().uri("/predict/nope").contentType("text/csv").content("a\n1\n"))
                .hasStatus(404)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .hasPathSatisfying("$.detail", v -> v.assertThat().isEqualTo("There is no model named 'nope'."));
        assertThat(mvc.get().uri("/generate?count=999"))
                .hasStatus(422)
                .bodyJson()
                .hasPathSatisfying("$.field", v -> v.assertThat().isEqualTo("count"));
    }

    @Test
    void refusesAGridScaleOutsideOneToEightBeforeEncoding() {
        BufferedImage digit = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        when(inference.generate(eq("mnist-dcgan"), isNull(), eq(16), eq(7L)))
                .thenReturn(new Answers.GeneratedDigits("mnist-dcgan", 1, 7L, List.of(digit)));

        assertThat(mvc.get().uri("/generate?seed=7&scale=9")).hasStatus(422);
        assertThat(mvc.get().uri("/generate?seed=7&scale=1")).hasStatusOk().hasContentType(MediaType.IMAGE_PNG);
    }
}
