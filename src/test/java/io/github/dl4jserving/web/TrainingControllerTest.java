package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.github.dl4jserving.training.JobNotFoundException;
import io.github.dl4jserving.training.JobQueueFullException;
import io.github.dl4jserving.training.JobStatus;
import io.github.dl4jserving.training.Promotion;
import io.github.dl4jserving.training.TrainingJob;
import io.github.dl4jserving.training.TrainingJobs;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/** {@code /jobs} translates HTTP to the training API: 202 with a Location, 429 when full, 404 for unknown ids. */
@WebMvcTest(TrainingController.class)
@Import(WebSlice.class)
class TrainingControllerTest {
    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    TrainingJobs jobs;

    private static TrainingJob queued(String id) {
        return new TrainingJob(
                id,
                "mnist-mlp",
                "mnist-mlp",
                "mnist",
                null,
                Map.of("epochs", 1),
                Promotion.IF_BETTER,
                JobStatus.QUEUED,
                0,
                0,
                1,
                0,
                null,
                null,
                List.of(),
                List.of(),
                Instant.EPOCH,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    @Test
    void startsAJobWithTheRequestsFieldsAndAnswers202WithItsLocation() {
        when(jobs.submit(eq("mnist-mlp"), isNull(), eq(Map.of("epochs", 1)), eq("if-better"), isNull()))
                .thenReturn(queued("j1"));

        assertThat(mvc.post()
                        .uri("/jobs")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"model\": \"mnist-mlp\", \"hyperparameters\": {\"epochs\": 1}, "
                                + "\"promote\": \"if-better\"}"))
                .hasStatus(202)
                .hasHeader("Location", "/jobs/j1")
                .bodyJson()
                .hasPathSatisfying("$.status", v -> v.assertThat().isEqualTo("QUEUED"));
    }

    @Test
    void answers429WithRetryAfterWhenTheQueueIsFull() {
        when(jobs.submit(any(), any(), any(), any(), any())).thenThrow(new JobQueueFullException("full"));

        assertThat(mvc.post()
                        .uri("/jobs")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"model\": \"mnist-mlp\"}"))
                .hasStatus(429)
                .containsHeader("Retry-After")
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void cancelsThroughTheModuleWith202AndAnswersAnUnknownJobWith404() {
        when(jobs.cancel("j1")).thenReturn(queued("j1"));
        when(jobs.get("nope")).thenThrow(new JobNotFoundException("There is no job with id 'nope'."));

        assertThat(mvc.post().uri("/jobs/j1/cancel")).hasStatus(202);
        verify(jobs).cancel("j1");
        assertThat(mvc.get().uri("/jobs/nope")).hasStatus(404);
        assertThat(mvc.get().uri("/jobs/nope/events")).hasStatus(404);
    }
}
