package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.when;

import io.github.dl4jserving.registry.ModelCatalog;
import io.github.dl4jserving.registry.VersionState;
import java.time.Instant;
import java.util.List;
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

    @Test
    void listsEachModelWithItsDefaultVersionsAndWhatEachHoldsInMemory() {
        when(catalog.names()).thenReturn(List.of("mnist-mlp"));
        when(catalog.describe("mnist-mlp", null)).thenReturn(WebSlice.mlpVersion(2));
        when(catalog.listing("mnist-mlp"))
                .thenReturn(List.of(
                        new VersionState(WebSlice.mlpVersion(1), false, 0, null),
                        new VersionState(WebSlice.mlpVersion(2), true, 2_850_600, Instant.EPOCH)));

        assertThat(mvc.get().uri("/models"))
                .hasStatusOk()
                .bodyJson()
                .hasPathSatisfying("$[0].defaultVersion", v -> v.assertThat().isEqualTo(2))
                .hasPathSatisfying(
                        "$[0].versions", v -> v.assertThat().asArray().containsExactly(1, 2))
                .hasPathSatisfying("$[0].kind", v -> v.assertThat().isEqualTo("image-classifier"))
                .hasPathSatisfying(
                        "$[0].memory[*].loaded", v -> v.assertThat().asArray().containsExactly(false, true))
                .hasPathSatisfying("$[0].memory[1].bytes", v -> v.assertThat().isEqualTo(2_850_600));
    }
}
