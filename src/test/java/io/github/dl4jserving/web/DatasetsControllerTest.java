package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.github.dl4jserving.datasets.DatasetInfo;
import io.github.dl4jserving.datasets.DatasetStore;
import io.github.dl4jserving.datasets.InvalidDatasetException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/** {@code /datasets} passes each upload form to the datasets API and answers 201 with the data set's place. */
@WebMvcTest(DatasetsController.class)
@Import(WebSlice.class)
class DatasetsControllerTest {
    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    DatasetStore store;

    private static DatasetInfo info(String kind) {
        return new DatasetInfo("d1", kind, Instant.EPOCH, "00", 10, 2, Map.of(), List.of("a", "b"), Map.of());
    }

    @Test
    void storesARawCsvWithItsTargetColumn() {
        when(store.uploadCsv(any(), eq("label"), any())).thenReturn(info(DatasetInfo.TABULAR_CSV));

        assertThat(mvc.post()
                        .uri("/datasets?target=label")
                        .contentType("text/csv")
                        .content("x,label\n1,a\n"))
                .hasStatus(201)
                .hasHeader("Location", "/datasets/d1");
    }

    @Test
    void storesMultipartIdxPartsAndRefusesAnImagesPartWithoutLabels() throws Exception {
        when(store.uploadIdx(any(), any())).thenReturn(info(DatasetInfo.IMAGE_IDX));
        MockMultipartFile images = new MockMultipartFile("images", "i.idx", "application/octet-stream", new byte[] {1});
        MockMultipartFile labels = new MockMultipartFile("labels", "l.idx", "application/octet-stream", new byte[] {2});

        assertThat(mvc.post().uri("/datasets").multipart().file(images).file(labels))
                .hasStatus(201);
        assertThat(mvc.post().uri("/datasets").multipart().file(images)).hasStatus(422);
        verify(store).uploadIdx(new byte[] {1}, new byte[] {2});
    }

    @Test
    void answersTheModulesRefusalAsAProblemNamingTheColumn() {
        when(store.uploadCsv(any(), eq("label"), any()))
                .thenThrow(new InvalidDatasetException("Column 'x' is not numeric.", 2, "x"));

        assertThat(mvc.post()
                        .uri("/datasets?target=label")
                        .contentType("text/csv")
                        .content("x,label\nq,a\n"))
                .hasStatus(422)
                .bodyJson()
                .hasPathSatisfying("$.detail", v -> v.assertThat().isEqualTo("Column 'x' is not numeric."));
        verify(store, never()).uploadZip(any());
    }
}
