package io.github.dl4jserving.grpc;

import io.github.dl4jserving.grpc.v2.GRPCInferenceServiceGrpc;
import io.github.dl4jserving.platform.ApiKeys;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import java.util.Set;

/**
 * The REST API's key rule over gRPC metadata ({@code x-api-key} or {@code authorization: Bearer}):
 * credentials that cannot be taken are INVALID_ARGUMENT on every call; with
 * {@code protect-reads} and a key set, every call but the probes (ServerLive, ServerReady and gRPC
 * health checking, as /v2/health/* over REST) needs the key, else UNAUTHENTICATED. Nothing over gRPC
 * changes state, so without {@code protect-reads} no call needs it.
 */
final class ApiKeyInterceptor implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

    /** The probes, open as their REST twins are. */
    private static final Set<String> OPEN = Set.of(
            GRPCInferenceServiceGrpc.getServerLiveMethod().getFullMethodName(),
            GRPCInferenceServiceGrpc.getServerReadyMethod().getFullMethodName(),
            HealthGrpc.getCheckMethod().getFullMethodName(),
            HealthGrpc.getWatchMethod().getFullMethodName());

    private final ApiKeys keys;

    ApiKeyInterceptor(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String authorization = headers.get(AUTHORIZATION);
        String apiKey = headers.get(API_KEY);
        String problem = ApiKeys.credentialProblem(authorization, apiKey);
        if (problem != null) {
            return refuse(call, Status.INVALID_ARGUMENT.withDescription(problem));
        }
        if (keys.readsNeedKey() && !OPEN.contains(call.getMethodDescriptor().getFullMethodName())) {
            String presented = ApiKeys.presented(authorization, apiKey);
            if (presented == null) {
                return refuse(call, Status.UNAUTHENTICATED.withDescription(ApiKeys.MISSING));
            }
            if (!keys.valid(presented)) {
                return refuse(call, Status.UNAUTHENTICATED.withDescription(ApiKeys.INVALID));
            }
        }
        return next.startCall(call, headers);
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {};
    }
}
