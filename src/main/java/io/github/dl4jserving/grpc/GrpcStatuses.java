package io.github.dl4jserving.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.github.dl4jserving.platform.ServiceException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.springframework.http.HttpStatus;

/**
 * The REST API's refusals as gRPC status codes, the problem's detail as the message: what the
 * client got wrong is INVALID_ARGUMENT or NOT_FOUND, never UNKNOWN; a busy service is
 * RESOURCE_EXHAUSTED with a {@code google.rpc.RetryInfo} saying when to try again, as the REST
 * answer's Retry-After does; a service that cannot answer for now is UNAVAILABLE.
 */
final class GrpcStatuses {
    private GrpcStatuses() {}

    static StatusRuntimeException of(ServiceException e) {
        if (e.retryAfterSeconds() != null
                && (e.status() == HttpStatus.SERVICE_UNAVAILABLE || e.status() == HttpStatus.TOO_MANY_REQUESTS)) {
            return busy(e.getMessage(), e.retryAfterSeconds());
        }
        Status status = switch (e.status()) {
            case NOT_FOUND -> Status.NOT_FOUND;
            case UNAUTHORIZED -> Status.UNAUTHENTICATED;
            case FORBIDDEN -> Status.PERMISSION_DENIED;
            case CONFLICT -> Status.FAILED_PRECONDITION;
            case REQUEST_TIMEOUT -> Status.DEADLINE_EXCEEDED;
            case CONTENT_TOO_LARGE, INSUFFICIENT_STORAGE -> Status.RESOURCE_EXHAUSTED;
            case SERVICE_UNAVAILABLE, TOO_MANY_REQUESTS -> Status.UNAVAILABLE;
            default -> e.status().is4xxClientError() ? Status.INVALID_ARGUMENT : Status.INTERNAL;
        };
        return status.withDescription(e.getMessage()).asRuntimeException();
    }

    /** RESOURCE_EXHAUSTED with the delay after which a retry may succeed. */
    static StatusRuntimeException busy(String detail, int retryAfterSeconds) {
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
                .setMessage(detail)
                .addDetails(Any.pack(RetryInfo.newBuilder()
                        .setRetryDelay(Duration.newBuilder().setSeconds(retryAfterSeconds))
                        .build()))
                .build();
        return StatusProto.toStatusRuntimeException(status);
    }

    static StatusRuntimeException invalid(String detail) {
        return Status.INVALID_ARGUMENT.withDescription(detail).asRuntimeException();
    }
}
