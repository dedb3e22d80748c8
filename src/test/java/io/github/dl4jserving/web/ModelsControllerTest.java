package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.when;

import io.github.dl4jserving.registry.ModelCatalog;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/** The model catalogue: each model with its kind, default and versions, from descriptors only. */
@WebMvcTest(ModelsController.class)
@Import(WebSlice.class)
class ModelsControllerTest {
    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    ModelCatalog catalog;

    private static ModelDescriptor version(int v) {
        return new ModelDescriptor(
                "mnist-mlp",
                v,
                ModelKind.IMAGE_CLASSIFIER,
                null,
                "an MLP",
                null,
                null,
                Map.of("test_accuracy", 0.98),
                null);
    }

    @Test
    void listsEachModelWithItsDefaultAndLoadedVersions() {
        when(catalog.names()).thenReturn(List.of("mnist-mlp"));
        when(catalog.describe("mnist-mlp", null)).thenReturn(version(2));
        when(catalog.versions("mnist-mlp")).thenReturn(List.of(version(1), version(2)));

        assertThat(mvc.get().uri("/models"))
                .hasStatusOk()
                .bodyJson()
                .hasPathSatisfying("$[0].defaultVersion", v -> v.assertThat().isEqualTo(2))
                .hasPathSatisfying(
                        "$[0].versions", v -> v.assertThat().asArray().containsExactly(1, 2))
                .hasPathSatisfying("$[0].kind", v -> v.assertThat().isEqualTo("image-classifier"));
    }
}
