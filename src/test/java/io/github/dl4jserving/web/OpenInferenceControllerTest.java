package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.github.dl4jserving.inference.Answers;
import io.github.dl4jserving.inference.InferenceService;
import io.github.dl4jserving.inference.ModelReadiness;
import io.github.dl4jserving.inference.Protocol;
import io.github.dl4jserving.inference.TensorRequest;
import io.github.dl4jserving.registry.ModelCatalog;
import io.github.dl4jserving.registry.ModelKind;
import io.github.dl4jserving.registry.ModelNotFoundException;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/** The Open Inference Protocol's REST side over the inference API, with the protocol's own error shape. */
@WebMvcTest(OpenInferenceController.class)
@Import(WebSlice.class)
class OpenInferenceControllerTest {
    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    InferenceService inference;

    @MockitoBean
    ModelReadiness readiness;

    @MockitoBean
    ModelCatalog catalog;

    private static final Answers.TensorModel MLP =
            new Answers.TensorModel("mnist-mlp", 2, ModelKind.IMAGE_CLASSIFIER, List.of(1, 2), 784, 10);

    @Test
    void describesAModelsTensorsFromTheVersionItResolves() {
        when(inference.tensorModel("mnist-mlp", null)).thenReturn(MLP);

        assertThat(mvc.get().uri("/v2/models/mnist-mlp"))
                .hasStatusOk()
                .bodyJson()
                .hasPathSatisfying("$.versions", v -> v.assertThat().asArray().containsExactly("1", "2"))
                .hasPathSatisfying(
                        "$.inputs[0].shape", v -> v.assertThat().asArray().containsExactly(-1, 784))
                .hasPathSatisfying("$.inputs[1].datatype", v -> v.assertThat().isEqualTo("BYTES"))
                .hasPathSatisfying(
                        "$.outputs[0].shape", v -> v.assertThat().asArray().containsExactly(-1, 10));
    }

    @Test
    void runsTheResolvedVersionAndReturnsTheTopClassesWhenAskedForAClassification() {
        when(inference.tensorModel("mnist-mlp", null)).thenReturn(MLP);
        when(inference.inferTensor(eq("mnist-mlp"), eq(2), any(), eq(Protocol.HTTP)))
                .thenReturn(new Answers.TensorOutput(
                        "mnist-mlp", 2, "BYTES", List.of(1L, 2L), null, List.of("0.9:7:7", "0.1:1:1")));
        String body = "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP32\", \"shape\": [1, 784], \"data\": "
                + zeros(784) + "}], \"outputs\": [{\"name\": \"output\", \"parameters\": {\"classification\": 2}}]}";

        assertThat(mvc.post()
                        .uri("/v2/models/mnist-mlp/infer")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body))
                .hasStatusOk()
                .bodyJson()
                .hasPathSatisfying("$.model_version", v -> v.assertThat().isEqualTo("2"))
                .hasPathSatisfying(
                        "$.outputs[0].data", v -> v.assertThat().asArray().containsExactly("0.9:7:7", "0.1:1:1"))
                .hasPathSatisfying(
                        "$.outputs[0].shape", v -> v.assertThat().asArray().containsExactly(1, 2));
        ArgumentCaptor<TensorRequest> sent = ArgumentCaptor.forClass(TensorRequest.class);
        verify(inference).inferTensor(eq("mnist-mlp"), eq(2), sent.capture(), eq(Protocol.HTTP));
        assertThat(sent.getValue().classification()).isEqualTo(2);
        assertThat(sent.getValue().shape()).containsExactly(1L, 784L);
        assertThat(sent.getValue().numbers()).hasSize(784);
    }

    @Test
    void answersAnUnknownModelWith404InTheProtocolsShapeBeforeReadingTheBody() {
        when(inference.tensorModel("nope", null))
                .thenThrow(new ModelNotFoundException("There is no model named 'nope'."));

        assertThat(mvc.post()
                        .uri("/v2/models/nope/infer")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{}"))
                .hasStatus(404)
                .bodyJson()
                .hasPathSatisfying("$.error", v -> v.assertThat().isEqualTo("There is no model named 'nope'."));
        verify(inference, never()).inferTensor(any(), any(), any(), any());
    }

    @Test
    void reportsServerReadinessFromTheOneReadinessSource() {
        when(readiness.serviceReady()).thenReturn(false);

        assertThat(mvc.get().uri("/v2/health/ready")).hasStatus(503);
        assertThat(mvc.get().uri("/v2/health/live")).hasStatusOk();
    }

    private static String zeros(int n) {
        return "[" + String.join(", ", Collections.nCopies(n, "0")) + "]";
    }
}
