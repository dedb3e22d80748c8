package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.github.dl4jserving.inference.InferenceService;
import io.github.dl4jserving.inference.ModelReadiness;
import io.github.dl4jserving.inference.ModelUploads;
import io.github.dl4jserving.registry.InvalidModelException;
import io.github.dl4jserving.registry.ModelCatalog;
import io.github.dl4jserving.registry.ModelConflictException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/** Model management over the module APIs: upload, default, delete and readiness. */
@WebMvcTest(ModelManagementController.class)
@Import(WebSlice.class)
class ModelManagementControllerTest {
    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    ModelCatalog catalog;

    @MockitoBean
    ModelUploads uploads;

    @MockitoBean
    ModelReadiness readiness;

    @MockitoBean
    InferenceService inference;

    @Test
    void passesAnUploadsZipAndDescriptorToTheModuleAndAnswers201WithItsLocation() throws Exception {
        when(uploads.upload(eq("my-mlp"), eq("{\"kind\":\"image-classifier\"}"), any(InputStream.class), eq(false)))
                .thenReturn(WebSlice.mlpVersion(7));
        MockMultipartFile zip = new MockMultipartFile("model", "model.zip", "application/zip", new byte[] {80, 75});
        MockMultipartFile descriptor = new MockMultipartFile(
                "descriptor", "", "application/json", "{\"kind\":\"image-classifier\"}".getBytes());

        assertThat(mvc.post()
                        .uri("/models/my-mlp/versions")
                        .multipart()
                        .file(zip)
                        .file(descriptor))
                .hasStatus(201)
                .hasHeader("Location", "/models/my-mlp/versions/7");
    }

    @Test
    void refusesAnEmptyModelPartBeforeTheModuleSeesIt() throws Exception {
        MockMultipartFile zip = new MockMultipartFile("model", "model.zip", "application/zip", new byte[0]);
        MockMultipartFile descriptor = new MockMultipartFile("descriptor", "", "application/json", "{}".getBytes());

        assertThat(mvc.post()
                        .uri("/models/my-mlp/versions")
                        .multipart()
                        .file(zip)
                        .file(descriptor))
                .hasStatus(422)
                .bodyJson()
                .hasPathSatisfying("$.field", v -> v.assertThat().isEqualTo("model"));
        verify(uploads, never()).upload(any(), any(), any(), anyBoolean());
    }

    @Test
    void answersTheModulesRefusalsWith422And409() throws Exception {
        when(uploads.upload(eq("my-mlp"), any(), any(), anyBoolean())).thenThrow(new InvalidModelException("no kind"));
        doThrow(new ModelConflictException("Version 2 is the default"))
                .when(catalog)
                .delete("mnist-mlp", 2);
        MockMultipartFile zip = new MockMultipartFile("model", "model.zip", "application/zip", new byte[] {1});
        MockMultipartFile descriptor = new MockMultipartFile("descriptor", "", "application/json", "{}".getBytes());

        assertThat(mvc.post()
                        .uri("/models/my-mlp/versions")
                        .multipart()
                        .file(zip)
                        .file(descriptor))
                .hasStatus(422)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(mvc.delete().uri("/models/mnist-mlp/versions/2")).hasStatus(409);
    }

    @Test
    void pinsTheDefaultThroughTheCatalogAndNeedsAVersionNumber() throws Exception {
        when(catalog.describe("mnist-mlp", null)).thenReturn(WebSlice.mlpVersion(1));
        when(catalog.versions("mnist-mlp")).thenReturn(List.of(WebSlice.mlpVersion(1), WebSlice.mlpVersion(2)));

        assertThat(mvc.put()
                        .uri("/models/mnist-mlp/default")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"version\": 1}"))
                .hasStatusOk();
        verify(catalog).setDefault("mnist-mlp", 1);
        assertThat(mvc.put()
                        .uri("/models/mnist-mlp/default")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{}"))
                .hasStatus(422);
    }

    @Test
    void answersReadinessWith503WhileTheDefaultWarmsUp() {
        when(catalog.describe("mnist-mlp", null)).thenReturn(WebSlice.mlpVersion(1));
        when(readiness.of("mnist-mlp")).thenReturn(new ModelReadiness.State("loading (version 1)", 1));

        assertThat(mvc.get().uri("/models/mnist-mlp/ready"))
                .hasStatus(503)
                .bodyJson()
                .hasPathSatisfying("$.state", v -> v.assertThat().isEqualTo("loading (version 1)"));
    }
}
