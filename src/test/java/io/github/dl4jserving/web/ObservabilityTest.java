package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/** Metrics, health groups and info, scraped over HTTP after real traffic. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ObservabilityTest extends RunningServer {

    /** The value of the first sample whose name and labels start with {@code series}, 0 when absent. */
    private static double sample(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + "[^ ]* (\\S+)$")
                .matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void exposesInferenceHistogramsBatchSizesAndModelGaugesToPrometheus() {
        // The Spring context, and so the meters, may be shared with other test classes: compare
        // counts before and after this test's own traffic.
        String before = new String(client.get("/actuator/prometheus").body(), StandardCharsets.UTF_8);
        String success = "dl4j_inference_requests_seconds_count{model=\"breast-cancer-logreg\",outcome=\"success\"";
        String badInput = "dl4j_inference_requests_seconds_count{model=\"breast-cancer-logreg\",outcome=\"bad_input\"";
        String rejected = "dl4j_inference_rejected_total{model=\"breast-cancer-logreg\",reason=\"bad_input\"";
        assertThat(client.postFiles(
                                "/predict",
                                "image",
                                List.of(ServingEndToEndTest.png(0), ServingEndToEndTest.png(1)),
                                "image/png")
                        .statusCode())
                .isEqualTo(200);
        assertThat(client.postJson("/predict", ServingEndToEndTest.BENIGN_ROW).statusCode())
                .isEqualTo(200);
        assertThat(client.postJson("/predict", "{\"features\": [1, 2]}").statusCode())
                .isEqualTo(422);
        assertThat(client.get("/generate?count=4&seed=1").statusCode()).isEqualTo(200);

        String scrape = new String(client.get("/actuator/prometheus").body(), StandardCharsets.UTF_8);

        assertThat(scrape)
                .containsPattern("dl4j_inference_requests_seconds_bucket\\{model=\"mnist-mlp\",outcome=\"success\","
                        + "protocol=\"http\",version=\"\\d+\",le=\"[^\"]+\"}")
                .containsPattern("dl4j_inference_batch_size_bucket\\{model=\"mnist-mlp\",version=\"\\d+\",le=\"2.0\"}")
                .containsPattern("dl4j_inference_batch_size_sum\\{model=\"mnist-dcgan\",version=\"\\d+\"} \\d")
                .containsPattern("dl4j_inference_forward_seconds_bucket\\{model=\"mnist-mlp\",version=\"\\d+\",le=")
                .containsPattern("dl4j_inference_queue_seconds_count\\{model=\"mnist-mlp\"")
                .containsPattern("dl4j_inference_queue_depth\\{model=\"mnist-mlp\",version=\"\\d+\"} 0")
                .containsPattern("dl4j_models_loaded \\d")
                .containsPattern("dl4j_model_load_seconds_count\\{model=\"mnist-mlp\",version=\"\\d+\"} 1")
                // there before any load fails, at 0, so that dashboards and alerts can use it
                .contains("dl4j_model_load_failures_total{model=\"mnist-mlp\"} 0.0")
                .containsPattern("dl4j_nd4j_offheap_used_bytes [1-9]")
                .contains("http_server_requests_seconds", "jvm_memory_used_bytes", "process_cpu_usage");
        assertThat(scrape).doesNotContain("request_id", "job_id");
        assertThat(sample(scrape, success) - sample(before, success)).isEqualTo(1);
        assertThat(sample(scrape, badInput) - sample(before, badInput)).isEqualTo(1);
        assertThat(sample(scrape, rejected) - sample(before, rejected)).isEqualTo(1);
    }

    @Test
    void aFlightRecordingSeesEachInferenceRequestStageByStage() throws Exception {
        Path file = Files.createTempFile("stages", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dl4jserving.InferenceRequest").withThreshold(Duration.ZERO);
            recording.start();
            assertThat(client.postFiles("/predict", "image", List.of(ServingEndToEndTest.png(0)), "image/png")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(client.postJson("/predict", ServingEndToEndTest.BENIGN_ROW)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(client.get("/models").statusCode())
                    .as("not an inference route")
                    .isEqualTo(200);
            recording.stop();
            recording.dump(file);
            List<RecordedEvent> events = RecordingFile.readAllEvents(file);
            assertThat(events).hasSize(2);
            RecordedEvent image = events.stream()
                    .filter(e -> e.getDuration("decode").toNanos() > 0)
                    .findFirst()
                    .orElseThrow();
            assertThat(image.getString("path")).isEqualTo("/predict");
            assertThat(image.getInt("status")).isEqualTo(200);
            assertThat(image.getLong("batchRows")).isEqualTo(1);
            long stages = 0;
            for (String stage : new String[] {"read", "decode", "queue", "forward", "handBack", "write"}) {
                long nanos = image.getDuration(stage).toNanos();
                assertThat(nanos).as(stage).isNotNegative();
                stages += nanos;
            }
            assertThat(image.getDuration("read").toNanos()).isPositive();
            assertThat(image.getDuration("forward").toNanos()).isPositive();
            assertThat(image.getDuration("write").toNanos()).isPositive();
            assertThat(stages).isLessThanOrEqualTo(image.getDuration().toNanos());
            RecordedEvent row =
                    events.stream().filter(e -> e != image).findFirst().orElseThrow();
            assertThat(row.getDuration("decode")).isZero();
            assertThat(row.getDuration("forward").toNanos()).isPositive();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void servesLivenessAndReadinessGroups() {
        HttpResponse<byte[]> live = client.get("/actuator/health/liveness");
        HttpResponse<byte[]> ready = client.get("/actuator/health/readiness");

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(HttpTestClient.json(live).get("status").asString()).isEqualTo("UP");
        assertThat(ready.statusCode()).isEqualTo(200);
        JsonNode models =
                HttpTestClient.json(ready).get("components").get("modelsReady").get("details");
        assertThat(models.get("mnist-mlp").asString()).startsWith("ready");
        assertThat(models.get("mnist-dcgan").asString()).startsWith("ready");
    }

    @Test
    void infoShowsTheBuildTheCommitAndTheModels() {
        JsonNode info = HttpTestClient.json(client.get("/actuator/info"));

        assertThat(info.get("build").get("version").asString()).isNotBlank();
        assertThat(info.get("git").get("commit").get("id").asString()).isNotBlank();
        assertThat(info.get("models").get("mnist-mlp").get("defaultVersion").asInt())
                .isPositive();
        assertThat(info.get("models").get("breast-cancer-logreg").get("kind").asString())
                .isEqualTo("tabular-classifier");
        assertThat(info.get("imageDecoder").get("jpeg").asString())
                .as("libjpeg-turbo when installed, else ImageIO with the reason")
                .matches("libjpeg-turbo \\(.*|ImageIO \\(TwelveMonkeys\\); libjpeg-turbo's Java binding .*");
    }

    @Test
    void keepsSensitiveActuatorEndpointsClosed() {
        for (String endpoint :
                List.of("env", "beans", "heapdump", "threaddump", "configprops", "loggers", "mappings", "shutdown")) {
            assertThat(client.get("/actuator/" + endpoint).statusCode())
                    .as(endpoint)
                    .isEqualTo(404);
        }
        assertThat(client.get("/actuator/metrics").statusCode()).isEqualTo(200);
    }
}
