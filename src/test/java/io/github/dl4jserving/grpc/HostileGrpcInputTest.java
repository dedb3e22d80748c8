package io.github.dl4jserving.grpc;

import static io.github.dl4jserving.grpc.GrpcInferenceTest.assertStatus;
import static io.github.dl4jserving.grpc.GrpcInferenceTest.image;
import static io.github.dl4jserving.grpc.GrpcInferenceTest.input;
import static io.github.dl4jserving.grpc.GrpcInferenceTest.zeros;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.github.dl4jserving.TestData;
import io.github.dl4jserving.grpc.v2.GRPCInferenceServiceGrpc;
import io.github.dl4jserving.grpc.v2.InferTensorContents;
import io.github.dl4jserving.grpc.v2.ModelInferRequest;
import io.github.dl4jserving.grpc.v2.ModelInferResponse;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Hostile inputs over gRPC: each gets a status that names the mistake, never UNKNOWN, INTERNAL or a
 * crash, and the service answers normally afterwards. Oversized messages, shapes that are negative,
 * zero or overflow, raw contents that do not match their shape, BYTES lengths that lie, values no
 * datatype holds, too many images, an image bomb, bytes that are no message, and 10,000 concurrent
 * streams from one client.
 */
class HostileGrpcInputTest extends RunningGrpcServer {

    private static ModelInferRequest.Builder mlp() {
        return ModelInferRequest.newBuilder().setModelName("mnist-mlp");
    }

    private static void refused(ModelInferRequest request, Status.Code code, String detail) {
        assertThatThrownBy(() -> stub().modelInfer(request)).satisfies(e -> assertStatus(e, code, detail));
    }

    @Test
    void aMessageOverTheBodyLimitIsResourceExhausted() {
        byte[] big = new byte[11 << 20]; // dl4j-serving.max-body-size is 10 MB
        refused(
                mlp().addInputs(input("BYTES", 1)
                                .setContents(
                                        InferTensorContents.newBuilder().addBytesContents(ByteString.copyFrom(big))))
                        .build(),
                Status.Code.RESOURCE_EXHAUSTED,
                "exceeds maximum");
    }

    @Test
    void bytesThatAreNoMessageAreInvalidArgumentNotUnknown() {
        MethodDescriptor.Marshaller<byte[]> raw = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(byte[] value) {
                return new ByteArrayInputStream(value);
            }

            @Override
            public byte[] parse(InputStream stream) {
                try {
                    return stream.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        MethodDescriptor<byte[], byte[]> infer = GRPCInferenceServiceGrpc.getModelInferMethod().toBuilder(raw, raw)
                .build();
        Metadata key = new Metadata();
        key.put(ApiKeyInterceptor.API_KEY, KEY);
        for (byte[] garbage :
                new byte[][] {{(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, {0x0a, (byte) 0xff, 0x0f}}) {
            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(
                            channel, infer, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), garbage))
                    .as("a client that sends no message without a key is told about the key first")
                    .satisfies(e -> assertStatus(e, Status.Code.UNAUTHENTICATED, "needs the API key"));
            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(
                            io.grpc.ClientInterceptors.intercept(
                                    channel, MetadataUtils.newAttachHeadersInterceptor(key)),
                            infer,
                            CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                            garbage))
                    .satisfies(e -> assertStatus(
                            e,
                            Status.Code.INVALID_ARGUMENT,
                            "not a valid inference.GRPCInferenceService/ModelInfer message"));
        }
    }

    @Test
    void shapesThatAreNegativeZeroOrOverflowAreRefusedBeforeAnythingIsSized() {
        refused(mlp().addInputs(input("FP32", -1, 784)).build(), Status.Code.INVALID_ARGUMENT, "positive integers");
        refused(mlp().addInputs(input("FP32", 0)).build(), Status.Code.INVALID_ARGUMENT, "positive integers");
        refused(mlp().addInputs(input("FP32")).build(), Status.Code.INVALID_ARGUMENT, "non-empty");
        refused(
                mlp().addInputs(input("FP32", 1L << 40, 1L << 40)).build(),
                Status.Code.INVALID_ARGUMENT,
                "more elements than one request can carry");
        refused(
                mlp().addInputs(input("FP32", 65536, 65536))
                        .addRawInputContents(ByteString.copyFrom(new byte[16]))
                        .build(),
                Status.Code.INVALID_ARGUMENT,
                "more elements than one request can carry");
        refused(
                mlp().addInputs(input("FP32", 1, 784).setContents(zeros(784)))
                        .addInputs(input("FP32", 1, 784).setContents(zeros(784)))
                        .build(),
                Status.Code.INVALID_ARGUMENT,
                "exactly one tensor");
    }

    @Test
    void rawContentsThatDoNotMatchTheirShapeAreRefused() {
        refused(
                mlp().addInputs(input("FP32", 1, 784))
                        .addRawInputContents(ByteString.copyFrom(new byte[10]))
                        .build(),
                Status.Code.INVALID_ARGUMENT,
                "has 10 bytes but shape [1, 784] of FP32 needs 3136");
        refused(
                mlp().addInputs(input("FP32", 1, 784).setContents(zeros(784)))
                        .addRawInputContents(ByteString.copyFrom(new byte[3136]))
                        .build(),
                Status.Code.INVALID_ARGUMENT,
                "not both");
        refused(
                mlp().addInputs(input("FP32", 1, 784))
                        .addRawInputContents(ByteString.copyFrom(new byte[3136]))
                        .addRawInputContents(ByteString.copyFrom(new byte[3136]))
                        .build(),
                Status.Code.INVALID_ARGUMENT,
                "one entry per input");
        ByteBuffer lying = ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(Integer.MAX_VALUE)
                .putInt(0);
        refused(
                mlp().addInputs(input("BYTES", 1).setName("image"))
                        .addRawInputContents(ByteString.copyFrom(lying.array()))
                        .build(),
                Status.Code.INVALID_ARGUMENT,
                "holds a BYTES element of 2147483647 bytes but only 4 follow");
        refused(
                mlp().addInputs(input("BYTES", 1).setName("image"))
                        .addRawInputContents(ByteString.copyFrom(new byte[3]))
                        .build(),
                Status.Code.INVALID_ARGUMENT,
                "ends inside a BYTES element's 4-byte length");
        refused(
                mlp().addInputs(input("FP32", 2, 784).setContents(zeros(784))).build(),
                Status.Code.INVALID_ARGUMENT,
                "has 784 elements but shape [2, 784] needs 1568");
    }

    @Test
    void valuesNoDatatypeHoldsAreRefused() {
        InferTensorContents.Builder nan = zeros(784).setFp32Contents(5, Float.NaN);
        refused(
                mlp().addInputs(input("FP32", 1, 784).setContents(nan)).build(),
                Status.Code.INVALID_ARGUMENT,
                "data[5]");
        InferTensorContents.Builder big = InferTensorContents.newBuilder();
        for (int i = 0; i < 784; i++) {
            big.addUintContents(i == 3 ? 300 : 0);
        }
        refused(
                mlp().addInputs(input("UINT8", 1, 784).setContents(big)).build(),
                Status.Code.INVALID_ARGUMENT,
                "data[3] = 300.0 is not a valid UINT8");
        InferTensorContents.Builder images = InferTensorContents.newBuilder();
        for (int i = 0; i < 257; i++) {
            images.addBytesContents(ByteString.copyFromUtf8("x"));
        }
        refused(
                mlp().addInputs(input("BYTES", 257).setName("image").setContents(images))
                        .build(),
                Status.Code.INVALID_ARGUMENT,
                "at most 256");
    }

    @Test
    void anImageBombIsRefusedAsOverREST() throws Exception {
        byte[] bomb = TestData.progressiveScanBomb(4096, 1000);
        long start = System.nanoTime();
        assertThatThrownBy(() -> stub().modelInfer(mlp().addInputs(image(ByteString.copyFrom(bomb)))
                        .build()))
                .satisfies(e -> assertThat(
                                ((io.grpc.StatusRuntimeException) e).getStatus().getCode())
                        .isIn(Status.Code.INVALID_ARGUMENT, Status.Code.RESOURCE_EXHAUSTED));
        System.out.printf("image bomb over gRPC refused in %.0f ms%n", (System.nanoTime() - start) / 1e6);
    }

    @Test
    void tenThousandConcurrentStreamsFromOneClientAllGetAStatus() throws Exception {
        Metadata key = new Metadata();
        key.put(ApiKeyInterceptor.API_KEY, KEY);
        GRPCInferenceServiceGrpc.GRPCInferenceServiceStub async = GRPCInferenceServiceGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key))
                .withDeadlineAfter(180, TimeUnit.SECONDS);
        ModelInferRequest row =
                mlp().addInputs(input("FP32", 1, 784).setContents(zeros(784))).build();
        int streams = 10_000;
        CountDownLatch done = new CountDownLatch(streams);
        Map<Status.Code, LongAdder> codes = new ConcurrentHashMap<>();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        AtomicInteger peakThreads = new AtomicInteger(threadsBefore);
        long start = System.nanoTime();
        for (int i = 0; i < streams; i++) {
            async.modelInfer(row, new StreamObserver<>() {
                @Override
                public void onNext(ModelInferResponse value) {}

                @Override
                public void onError(Throwable t) {
                    record(Status.fromThrowable(t).getCode());
                }

                @Override
                public void onCompleted() {
                    record(Status.Code.OK);
                }

                private void record(Status.Code code) {
                    codes.computeIfAbsent(code, c -> new LongAdder()).increment();
                    peakThreads.accumulateAndGet(
                            ManagementFactory.getThreadMXBean().getThreadCount(), Math::max);
                    done.countDown();
                }
            });
        }
        assertThat(done.await(180, TimeUnit.SECONDS)).as("every stream ended").isTrue();
        System.out.printf(
                "10,000 streams on one connection: %s in %.1f s; threads %d before, %d at most%n",
                codes, (System.nanoTime() - start) / 1e9, threadsBefore, peakThreads.get());
        assertThat(codes.keySet()).isSubsetOf(Status.Code.OK, Status.Code.RESOURCE_EXHAUSTED);
        assertThat(codes.get(Status.Code.OK).sum()).isPositive();
        // 64 calls per connection at once (max-concurrent-streams): the server's threads stay bounded.
        assertThat(peakThreads.get() - threadsBefore).isLessThan(200);
        assertThat(stub().modelInfer(row).getOutputs(0).getShapeList()).containsExactly(1L, 10L);
    }
}
