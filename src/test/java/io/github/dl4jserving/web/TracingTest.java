package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.github.dl4jserving.S3Server;
import io.github.dl4jserving.TestData;
import io.github.dl4jserving.grpc.v2.GRPCInferenceServiceGrpc;
import io.github.dl4jserving.grpc.v2.InferTensorContents;
import io.github.dl4jserving.grpc.v2.ModelInferRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * OpenTelemetry tracing on the real service, every request sampled, spans caught by an exporter
 * in the test: a photo's server span has its decode and queue spans as children, and the batch's
 * forward span links back to it; a gRPC call continues its caller's trace with the same spans; the
 * log lines written during a request carry its trace id.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dl4j-serving.tracing.enabled=true", "management.tracing.sampling.probability=1.0"})
@ExtendWith(OutputCaptureExtension.class)
class TracingTest extends RunningServer {
    static final List<SpanData> SPANS = new CopyOnWriteArrayList<>();
    static final int GRPC_PORT = S3Server.freePort();

    @DynamicPropertySource
    static void grpcPort(DynamicPropertyRegistry registry) {
        registry.add("dl4j-serving.grpc.port", () -> GRPC_PORT);
    }

    @TestConfiguration
    static class CatchSpans {
        @Bean
        SpanProcessor catchSpans() {
            return SimpleSpanProcessor.create(new SpanExporter() {
                @Override
                public CompletableResultCode export(Collection<SpanData> spans) {
                    SPANS.addAll(spans);
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode flush() {
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode shutdown() {
                    return CompletableResultCode.ofSuccess();
                }
            });
        }
    }

    private static SpanData await(String name, String traceId) throws InterruptedException {
        return await(s ->
                s.getName().equals(name) && (traceId == null || s.getTraceId().equals(traceId)));
    }

    /**
     * Waits for a span: the batch worker records its spans after it has handed out the answers,
     * so they can reach the exporter after the client has its response.
     */
    private static SpanData await(Predicate<SpanData> which) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (SpanData s : SPANS) {
                if (which.test(s)) {
                    return s;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError(
                "no such span in " + SPANS.stream().map(SpanData::getName).toList());
    }

    @Test
    void aPhotosSpanCoversDecodeQueueAndAForwardPassThatLinksBack() throws Exception {
        byte[] jpeg = TestData.jpeg(TestData.paperPhoto(0));
        HttpResponse<byte[]> r = client.postFiles("/predict", "image", List.of(jpeg), "image/jpeg");
        assertThat(r.statusCode()).isEqualTo(200);
        String traceparent = r.headers().firstValue("traceparent").orElse(null);

        SpanData decode = await("dl4j.decode", null);
        String traceId = decode.getTraceId();
        SpanData server =
                await(s -> s.getTraceId().equals(traceId) && s.getParentSpanId().equals("0000000000000000"));
        assertThat(server.getName()).containsIgnoringCase("post");
        SpanData queue = await("dl4j.queue", traceId);
        assertThat(decode.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(queue.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(queue.getStartEpochNanos()).isGreaterThanOrEqualTo(decode.getEndEpochNanos() - 1_000_000);
        assertThat(queue.getEndEpochNanos()).isLessThanOrEqualTo(server.getEndEpochNanos());

        SpanData forward = await(s -> s.getName().equals("dl4j.forward")
                && s.getLinks().stream()
                        .map(LinkData::getSpanContext)
                        .anyMatch(c -> c.getSpanId().equals(server.getSpanId())));
        assertThat(forward.getTraceId()).as("a batch has a trace of its own").isNotEqualTo(traceId);
        assertThat(forward.getAttributes().get(AttributeKey.stringKey("model"))).isEqualTo("mnist-mlp@1");
        assertThat(forward.getStartEpochNanos()).isGreaterThanOrEqualTo(queue.getEndEpochNanos() - 1_000_000);
        assertThat(traceparent)
                .as("the W3C header is not echoed; the trace id is in the logs")
                .isNull();
    }

    @Test
    void aGrpcCallContinuesTheCallersTraceWithTheSameSpansAsRest() throws Exception {
        String callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        Metadata headers = new Metadata();
        headers.put(
                Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER),
                "00-" + callerTrace + "-00f067aa0ba902b7-01");
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(
                        "localhost", GRPC_PORT, InsecureChannelCredentials.create())
                .build();
        try {
            GRPCInferenceServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .modelInfer(ModelInferRequest.newBuilder()
                            .setModelName("mnist-mlp")
                            .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                                    .setName("image")
                                    .setDatatype("BYTES")
                                    .addShape(1)
                                    .setContents(InferTensorContents.newBuilder()
                                            .addBytesContents(
                                                    ByteString.copyFrom(TestData.jpeg(TestData.paperPhoto(1))))))
                            .build());
        } finally {
            channel.shutdownNow();
        }
        SpanData server = await(
                s -> s.getTraceId().equals(callerTrace) && s.getParentSpanId().equals("00f067aa0ba902b7"));
        assertThat(server.getName()).isEqualTo("inference.GRPCInferenceService/ModelInfer");
        assertThat(await("dl4j.decode", callerTrace).getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(await("dl4j.queue", callerTrace).getParentSpanId()).isEqualTo(server.getSpanId());
        await(f -> f.getName().equals("dl4j.forward")
                && f.getLinks().stream()
                        .anyMatch(l -> l.getSpanContext().getSpanId().equals(server.getSpanId())));
    }

    @Test
    void logLinesWrittenDuringARequestCarryItsTraceId(CapturedOutput output) throws Exception {
        // Submitting a job logs "Queued job ..." on the request's thread.
        HttpResponse<byte[]> r = client.postJson("/jobs", "{\"model\": \"breast-cancer-logreg\"}");
        assertThat(r.statusCode()).isEqualTo(202);
        String id = HttpTestClient.json(r).get("id").asString();
        SpanData server = await(s -> s.getParentSpanId().equals("0000000000000000")
                && s.getAttributes().asMap().toString().contains("uri=/jobs"));
        String traceId = server.getTraceId();
        assertThat(output.getOut().lines().filter(l -> l.contains("Queued job " + id)))
                .singleElement()
                .satisfies(line -> assertThat(line).contains(traceId));
    }
}
