package io.github.dl4jserving.grpc;

import io.github.dl4jserving.grpc.v2.GRPCInferenceServiceGrpc;
import io.github.dl4jserving.grpc.v2.ModelInferRequest;
import io.github.dl4jserving.grpc.v2.ModelInferResponse;
import io.github.dl4jserving.grpc.v2.ModelMetadataRequest;
import io.github.dl4jserving.grpc.v2.ModelMetadataResponse;
import io.github.dl4jserving.grpc.v2.ModelReadyRequest;
import io.github.dl4jserving.grpc.v2.ModelReadyResponse;
import io.github.dl4jserving.grpc.v2.ServerLiveRequest;
import io.github.dl4jserving.grpc.v2.ServerLiveResponse;
import io.github.dl4jserving.grpc.v2.ServerMetadataRequest;
import io.github.dl4jserving.grpc.v2.ServerMetadataResponse;
import io.github.dl4jserving.grpc.v2.ServerReadyRequest;
import io.github.dl4jserving.grpc.v2.ServerReadyResponse;
import io.github.dl4jserving.inference.Answers;
import io.github.dl4jserving.inference.InferenceService;
import io.github.dl4jserving.inference.ModelReadiness;
import io.github.dl4jserving.inference.Protocol;
import io.github.dl4jserving.inference.TensorRequest;
import io.github.dl4jserving.platform.InferenceSlots;
import io.github.dl4jserving.platform.Rejection;
import io.github.dl4jserving.platform.Rejections;
import io.github.dl4jserving.platform.ServiceException;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code inference.GRPCInferenceService}: the Open Inference Protocol's six calls over the inference
 * API, answering as the REST routes under /v2 do. ModelInfer takes one of the service's in-flight
 * slots, shared with REST, and a request that finds none free is refused at once.
 */
final class InferenceGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    private static final Logger log = LoggerFactory.getLogger(InferenceGrpcService.class);

    private final InferenceService inference;
    private final ModelReadiness readiness;
    private final InferenceSlots slots;
    private final Rejections rejections;
    private final String serverVersion;

    InferenceGrpcService(
            InferenceService inference,
            ModelReadiness readiness,
            InferenceSlots slots,
            Rejections rejections,
            String serverVersion) {
        this.inference = inference;
        this.readiness = readiness;
        this.slots = slots;
        this.rejections = rejections;
        this.serverVersion = serverVersion;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
        answer(out, () -> ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
        answer(
                out,
                () -> ServerReadyResponse.newBuilder()
                        .setReady(readiness.serviceReady())
                        .build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
        answer(out, () -> {
            Integer v = version(request.getVersion());
            ModelDescriptor m = inference.describe(request.getName(), v); // NOT_FOUND for an unknown one
            boolean ready = v != null
                    ? readiness.versionReady(m.name(), m.version())
                    : readiness.of(m.name()).ready();
            return ModelReadyResponse.newBuilder().setReady(ready).build();
        });
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> out) {
        answer(
                out,
                () -> ServerMetadataResponse.newBuilder()
                        .setName("dl4j-serving")
                        .setVersion(serverVersion)
                        .build());
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
        answer(out, () -> {
            Answers.TensorModel m = inference.tensorModel(request.getName(), version(request.getVersion()));
            ModelMetadataResponse.Builder answer =
                    ModelMetadataResponse.newBuilder().setName(m.name()).setPlatform("deeplearning4j");
            m.versions().forEach(v -> answer.addVersions(Integer.toString(v)));
            m.inputs().forEach(t -> answer.addInputs(tensor(t)));
            m.outputs().forEach(t -> answer.addOutputs(tensor(t)));
            return answer.build();
        });
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
        if (!slots.tryAcquire()) {
            rejections.count(Rejection.OVERLOADED);
            out.onError(GrpcStatuses.busy(slots.busyDetail(), 1));
            return;
        }
        try {
            answer(out, () -> {
                // Resolved once: an unknown model is NOT_FOUND before the tensor is read, and the version
                // resolved here is the one that runs, even if the default moves meanwhile.
                Answers.TensorModel m =
                        inference.tensorModel(request.getModelName(), version(request.getModelVersion()));
                TensorRequest tensor = GrpcTensors.read(request);
                return GrpcTensors.write(request, inference.inferTensor(m.name(), m.version(), tensor, Protocol.GRPC));
            });
        } finally {
            slots.release();
        }
    }

    private static ModelMetadataResponse.TensorMetadata tensor(Answers.TensorSpec spec) {
        return ModelMetadataResponse.TensorMetadata.newBuilder()
                .setName(spec.name())
                .setDatatype(spec.datatype())
                .addAllShape(spec.shape())
                .build();
    }

    /** A version as the protocol sends it: empty for the default, else plain decimal digits. */
    private static Integer version(String version) {
        if (version.isEmpty()) {
            return null;
        }
        if (!version.matches("0|[1-9][0-9]{0,8}")) {
            throw GrpcStatuses.invalid(
                    "The model version must be a whole number in plain decimal digits, or empty for the default; not '"
                            + version + "'.");
        }
        return Integer.valueOf(version);
    }

    /**
     * Runs {@code work} and sends its answer, or the status its refusal maps to. An unexpected
     * failure is logged and answered INTERNAL without its text, as the REST API answers 500.
     */
    private <T> void answer(StreamObserver<T> out, Supplier<T> work) {
        T result;
        try {
            result = work.get();
        } catch (ServiceException e) {
            rejections.count(e);
            out.onError(GrpcStatuses.of(e));
            return;
        } catch (io.grpc.StatusRuntimeException e) {
            out.onError(e);
            return;
        } catch (RuntimeException e) {
            log.error("gRPC call failed", e);
            out.onError(Status.INTERNAL
                    .withDescription("The service failed to answer; the server log has the cause.")
                    .asRuntimeException());
            return;
        }
        out.onNext(result);
        out.onCompleted();
    }
}
