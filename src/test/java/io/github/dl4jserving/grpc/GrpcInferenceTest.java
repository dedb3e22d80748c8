package io.github.dl4jserving.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import com.google.rpc.RetryInfo;
import io.github.dl4jserving.grpc.v2.InferParameter;
import io.github.dl4jserving.grpc.v2.ModelInferRequest;
import io.github.dl4jserving.grpc.v2.ModelInferResponse;
import io.github.dl4jserving.grpc.v2.ModelMetadataRequest;
import io.github.dl4jserving.grpc.v2.ModelMetadataResponse;
import io.github.dl4jserving.grpc.v2.ModelReadyRequest;
import io.github.dl4jserving.grpc.v2.ServerLiveRequest;
import io.github.dl4jserving.grpc.v2.ServerMetadataRequest;
import io.github.dl4jserving.grpc.v2.ServerReadyRequest;
import io.github.dl4jserving.platform.InferenceSlots;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.StatusProto;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Open Inference Protocol over gRPC against the whole service: answers, REST parity, errors, operations. */
class GrpcInferenceTest extends RunningGrpcServer {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    InferenceSlots slots;

    @Test
    void probesAndMetadataAnswerAsTheirRestTwins() throws Exception {
        assertThat(anonymous()
                        .serverLive(ServerLiveRequest.getDefaultInstance())
                        .getLive())
                .isTrue();
        assertThat(anonymous()
                        .serverReady(ServerReadyRequest.getDefaultInstance())
                        .getReady())
                .isTrue();
        assertThat(stub().serverMetadata(ServerMetadataRequest.getDefaultInstance())
                        .getName())
                .isEqualTo("dl4j-serving");
        assertThat(stub().modelReady(ModelReadyRequest.newBuilder()
                                .setName("mnist-mlp")
                                .build())
                        .getReady())
                .isTrue();

        ModelMetadataResponse grpc = stub().modelMetadata(
                        ModelMetadataRequest.newBuilder().setName("mnist-mlp").build());
        JsonNode rest = JSON.readTree(rest("GET", "/v2/models/mnist-mlp", null).body());
        assertThat(grpc.getName()).isEqualTo(rest.get("name").asString());
        assertThat(grpc.getVersionsList()).containsExactlyElementsOf(strings(rest.get("versions")));
        assertThat(grpc.getInputsCount()).isEqualTo(rest.get("inputs").size()).isEqualTo(2);
        for (int i = 0; i < grpc.getInputsCount(); i++) {
            assertThat(grpc.getInputs(i).getName())
                    .isEqualTo(rest.get("inputs").get(i).get("name").asString());
            assertThat(grpc.getInputs(i).getDatatype())
                    .isEqualTo(rest.get("inputs").get(i).get("datatype").asString());
            assertThat(grpc.getInputs(i).getShapeList())
                    .isEqualTo(longs(rest.get("inputs").get(i).get("shape")));
        }
        assertThat(grpc.getOutputs(0).getShapeList()).containsExactly(-1L, 10L);
    }

    @Test
    void aPngAsBytesGetsTheScoresTheRestFormGives() throws Exception {
        byte[] png = Files.readAllBytes(Path.of("examples", "digit.png"));
        ModelInferResponse grpc = stub().modelInfer(ModelInferRequest.newBuilder()
                .setModelName("mnist-mlp")
                .setId("req-7")
                .addInputs(image(ByteString.copyFrom(png)))
                .build());
        String body = "{\"id\": \"req-7\", \"inputs\": [{\"name\": \"image\", \"datatype\": \"BYTES\", \"shape\": [1],"
                + " \"data\": [\"" + Base64.getEncoder().encodeToString(png) + "\"]}]}";
        JsonNode rest =
                JSON.readTree(rest("POST", "/v2/models/mnist-mlp/infer", body).body());

        assertThat(grpc.getId()).isEqualTo("req-7");
        assertThat(grpc.getModelVersion()).isEqualTo(rest.get("model_version").asString());
        ModelInferResponse.InferOutputTensor out = grpc.getOutputs(0);
        assertThat(out.getDatatype()).isEqualTo("FP32");
        assertThat(out.getShapeList()).containsExactly(1L, 10L);
        List<Float> restScores = floats(rest.get("outputs").get(0).get("data"));
        for (int i = 0; i < 10; i++) {
            assertThat(out.getContents().getFp32Contents(i)).isCloseTo(restScores.get(i), within(1e-6f));
        }
        assertThat(argmax(out.getContents().getFp32ContentsList())).isEqualTo(7);
    }

    @Test
    void rawRowsTypedRowsAndRestRowsGetTheSameScores() throws Exception {
        int rows = 32;
        float[] values = new float[rows * 784];
        for (int i = 0; i < values.length; i++) {
            values[i] = ((i * 7919) % 256) / 255f;
        }
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        ModelInferResponse rawAnswer = stub().modelInfer(ModelInferRequest.newBuilder()
                .setModelName("mnist-mlp")
                .addInputs(input("FP32", rows, 784))
                .addRawInputContents(ByteString.copyFrom(raw.array()))
                .build());
        io.github.dl4jserving.grpc.v2.InferTensorContents.Builder typed =
                io.github.dl4jserving.grpc.v2.InferTensorContents.newBuilder();
        for (float v : values) {
            typed.addFp32Contents(v);
        }
        ModelInferResponse typedAnswer = stub().modelInfer(ModelInferRequest.newBuilder()
                .setModelName("mnist-mlp")
                .addInputs(input("FP32", rows, 784).setContents(typed))
                .build());
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            data.append(i == 0 ? "" : ",").append(values[i]);
        }
        JsonNode rest = JSON.readTree(rest(
                        "POST",
                        "/v2/models/mnist-mlp/infer",
                        "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP32\", \"shape\": [" + rows
                                + ", 784], \"data\": [" + data + "]}]}")
                .body());

        assertThat(rawAnswer.getOutputs(0).hasContents()).as("raw in, raw out").isFalse();
        assertThat(rawAnswer.getOutputs(0).getShapeList()).containsExactly((long) rows, 10L);
        ByteBuffer out =
                rawAnswer.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        assertThat(out.remaining()).isEqualTo(rows * 10 * 4);
        List<Float> restScores = floats(rest.get("outputs").get(0).get("data"));
        for (int i = 0; i < rows * 10; i++) {
            float r = out.getFloat();
            assertThat(r).isCloseTo(typedAnswer.getOutputs(0).getContents().getFp32Contents(i), within(1e-6f));
            assertThat(r).isCloseTo(restScores.get(i), within(1e-6f));
        }
    }

    @Test
    void classificationGivesTheBestClassesAsScoreClassLabelStrings() throws Exception {
        ModelInferResponse grpc = stub().modelInfer(ModelInferRequest.newBuilder()
                .setModelName("mnist-mlp")
                .addInputs(image(ByteString.copyFrom(Files.readAllBytes(Path.of("examples", "digit.jpg")))))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                        .setName("output")
                        .putParameters(
                                "classification",
                                InferParameter.newBuilder().setInt64Param(3).build()))
                .build());
        assertThat(grpc.getOutputs(0).getDatatype()).isEqualTo("BYTES");
        assertThat(grpc.getOutputs(0).getShapeList()).containsExactly(1L, 3L);
        assertThat(grpc.getOutputs(0).getContents().getBytesContents(0).toStringUtf8())
                .matches("[0-9.E-]+:7:7");
    }

    @Test
    void mistakesAreStatusCodesWithTheProblemsDetail() {
        assertThatThrownBy(() -> stub().modelInfer(ModelInferRequest.newBuilder()
                        .setModelName("mnist-mlp")
                        .addInputs(input("FP32", 1, 783).setContents(zeros(783)))
                        .build()))
                .satisfies(e -> assertStatus(e, Status.Code.INVALID_ARGUMENT, "takes rows of 784"));
        assertThatThrownBy(() -> stub().modelInfer(ModelInferRequest.newBuilder()
                        .setModelName("no-such-model")
                        .addInputs(input("FP32", 1, 1).setContents(zeros(1)))
                        .build()))
                .satisfies(e -> assertStatus(e, Status.Code.NOT_FOUND, "no model named 'no-such-model'"));
        assertThatThrownBy(() -> stub().modelMetadata(ModelMetadataRequest.newBuilder()
                        .setName("mnist-mlp")
                        .setVersion("+1")
                        .build()))
                .satisfies(e -> assertStatus(e, Status.Code.INVALID_ARGUMENT, "plain decimal digits"));
        assertThatThrownBy(() -> stub().modelInfer(ModelInferRequest.newBuilder()
                        .setModelName("mnist-mlp")
                        .addInputs(input("FP16", 1, 784))
                        .build()))
                .satisfies(e -> assertStatus(e, Status.Code.INVALID_ARGUMENT, "Unsupported datatype 'FP16'"));
        assertThatThrownBy(() -> stub().modelInfer(ModelInferRequest.newBuilder()
                        .setModelName("mnist-mlp")
                        .addInputs(image(ByteString.copyFromUtf8("not an image")))
                        .build()))
                .satisfies(e -> assertStatus(e, Status.Code.INVALID_ARGUMENT, "image"));
    }

    @Test
    void theKeyRuleIsTheRestApis() {
        assertThatThrownBy(() -> anonymous()
                        .modelMetadata(ModelMetadataRequest.newBuilder()
                                .setName("mnist-mlp")
                                .build()))
                .satisfies(e -> assertStatus(e, Status.Code.UNAUTHENTICATED, "needs the API key"));
        assertThatThrownBy(() -> withHeader(ApiKeyInterceptor.API_KEY, "wrong")
                        .modelMetadata(ModelMetadataRequest.newBuilder()
                                .setName("mnist-mlp")
                                .build()))
                .satisfies(e -> assertStatus(e, Status.Code.UNAUTHENTICATED, "not valid"));
        assertThat(withHeader(ApiKeyInterceptor.AUTHORIZATION, "Bearer " + KEY)
                        .modelMetadata(ModelMetadataRequest.newBuilder()
                                .setName("mnist-mlp")
                                .build())
                        .getName())
                .isEqualTo("mnist-mlp");
        assertThatThrownBy(() -> stub().withInterceptors(
                                io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(bearer("another-key")))
                        .serverLive(ServerLiveRequest.getDefaultInstance()))
                .satisfies(e -> assertStatus(e, Status.Code.INVALID_ARGUMENT, "two different keys"));
        HealthCheckResponse health = HealthGrpc.newBlockingStub(channel)
                .check(HealthCheckRequest.newBuilder().build());
        assertThat(health.getStatus())
                .as("a probe, open without the key")
                .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void aServiceAtItsInflightLimitRefusesWithRetryInfo() {
        List<Boolean> taken = new ArrayList<>();
        try {
            while (slots.tryAcquire()) {
                taken.add(true);
            }
            assertThat(taken).as("the REST and gRPC slots are one pool of 64").hasSize(64);
            assertThatThrownBy(() -> stub().modelInfer(ModelInferRequest.newBuilder()
                            .setModelName("mnist-mlp")
                            .addInputs(input("FP32", 1, 784).setContents(zeros(784)))
                            .build()))
                    .satisfies(e -> {
                        assertStatus(e, Status.Code.RESOURCE_EXHAUSTED, "limit of 64");
                        com.google.rpc.Status detail = StatusProto.fromThrowable(e);
                        assertThat(detail.getDetails(0)
                                        .unpack(RetryInfo.class)
                                        .getRetryDelay()
                                        .getSeconds())
                                .isEqualTo(1);
                    });
        } finally {
            taken.forEach(t -> slots.release());
        }
        assertThat(stub().modelInfer(ModelInferRequest.newBuilder()
                                .setModelName("mnist-mlp")
                                .addInputs(input("FP32", 1, 784).setContents(zeros(784)))
                                .build())
                        .getOutputsCount())
                .isEqualTo(1);
    }

    @Test
    void healthReflectionAndMetricsCoverTheGrpcPort() throws Exception {
        HealthCheckResponse inference = HealthGrpc.newBlockingStub(channel)
                .check(HealthCheckRequest.newBuilder()
                        .setService("inference.GRPCInferenceService")
                        .build());
        assertThat(inference.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

        CompletableFuture<List<String>> services = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> reflection = ServerReflectionGrpc.newStub(channel)
                .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(bearer(KEY)))
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse response) {
                        services.complete(response.getListServicesResponse().getServiceList().stream()
                                .map(s -> s.getName())
                                .toList());
                    }

                    @Override
                    public void onError(Throwable t) {
                        services.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {}
                });
        reflection.onNext(
                ServerReflectionRequest.newBuilder().setListServices("").build());
        assertThat(services.get(30, TimeUnit.SECONDS))
                .contains("inference.GRPCInferenceService", "grpc.health.v1.Health");
        reflection.onCompleted();

        stub().modelInfer(ModelInferRequest.newBuilder()
                .setModelName("mnist-mlp")
                .addInputs(input("FP32", 1, 784).setContents(zeros(784)))
                .build());
        String scrape = rest("GET", "/actuator/prometheus", null).body();
        assertThat(scrape)
                .containsPattern("dl4j_inference_requests_seconds_count\\{model=\"mnist-mlp\",outcome=\"success\","
                        + "protocol=\"grpc\",version=\"\\d+\"} [1-9]")
                .containsPattern(
                        "grpc_server_seconds_count\\{error=\"none\",grpc_status_code=\"OK\",rpc_method=\"ModelInfer\"");
    }

    static void assertStatus(Throwable e, Status.Code code, String detail) {
        assertThat(e).isInstanceOf(StatusRuntimeException.class);
        Status status = ((StatusRuntimeException) e).getStatus();
        assertThat(status.getCode()).as(status.toString()).isEqualTo(code);
        assertThat(status.getDescription()).contains(detail);
    }

    static ModelInferRequest.InferInputTensor.Builder input(String datatype, long... shape) {
        ModelInferRequest.InferInputTensor.Builder input =
                ModelInferRequest.InferInputTensor.newBuilder().setName("input").setDatatype(datatype);
        for (long d : shape) {
            input.addShape(d);
        }
        return input;
    }

    /** A BYTES input of one encoded image, named as the models' metadata names it. */
    static ModelInferRequest.InferInputTensor.Builder image(ByteString file) {
        return input("BYTES", 1)
                .setName("image")
                .setContents(io.github.dl4jserving.grpc.v2.InferTensorContents.newBuilder()
                        .addBytesContents(file));
    }

    static io.github.dl4jserving.grpc.v2.InferTensorContents.Builder zeros(int n) {
        io.github.dl4jserving.grpc.v2.InferTensorContents.Builder contents =
                io.github.dl4jserving.grpc.v2.InferTensorContents.newBuilder();
        for (int i = 0; i < n; i++) {
            contents.addFp32Contents(0f);
        }
        return contents;
    }

    private static io.grpc.Metadata bearer(String key) {
        io.grpc.Metadata headers = new io.grpc.Metadata();
        headers.put(ApiKeyInterceptor.AUTHORIZATION, "Bearer " + key);
        return headers;
    }

    private static int argmax(List<Float> scores) {
        int best = 0;
        for (int i = 1; i < scores.size(); i++) {
            if (scores.get(i) > scores.get(best)) {
                best = i;
            }
        }
        return best;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }

    private static List<Float> floats(JsonNode array) {
        List<Float> out = new ArrayList<>();
        array.forEach(n -> out.add(n.floatValue()));
        return out;
    }
}
