package io.github.dl4jserving.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.RetryInfo;
import io.github.dl4jserving.platform.ServiceException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/** Every REST refusal has a gRPC status a client can act on, never UNKNOWN. */
class GrpcStatusesTest {

    private static ServiceException refusal(HttpStatus status, Integer retryAfter) {
        return new ServiceException(status, "t", "what to fix", null, null, retryAfter, null) {};
    }

    private static Status.Code code(HttpStatus status, Integer retryAfter) {
        StatusRuntimeException e = GrpcStatuses.of(refusal(status, retryAfter));
        assertThat(e.getStatus().getDescription()).isEqualTo("what to fix");
        return e.getStatus().getCode();
    }

    @Test
    void clientMistakesAreInvalidArgumentOrNotFound() {
        assertThat(code(HttpStatus.BAD_REQUEST, null)).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(code(HttpStatus.UNPROCESSABLE_CONTENT, null)).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(code(HttpStatus.UNSUPPORTED_MEDIA_TYPE, null)).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(code(HttpStatus.NOT_FOUND, null)).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(HttpStatus.CONTENT_TOO_LARGE, null)).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(code(HttpStatus.UNAUTHORIZED, null)).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(code(HttpStatus.FORBIDDEN, null)).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(code(HttpStatus.CONFLICT, null)).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(code(HttpStatus.REQUEST_TIMEOUT, null)).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    }

    @Test
    void aBusyServiceSaysWhenToRetryAndAnUnavailableOneDoesNot() throws Exception {
        StatusRuntimeException busy = GrpcStatuses.of(refusal(HttpStatus.SERVICE_UNAVAILABLE, 2));
        assertThat(busy.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(StatusProto.fromThrowable(busy)
                        .getDetails(0)
                        .unpack(RetryInfo.class)
                        .getRetryDelay()
                        .getSeconds())
                .isEqualTo(2);
        assertThat(code(HttpStatus.SERVICE_UNAVAILABLE, null)).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(code(HttpStatus.INSUFFICIENT_STORAGE, null)).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(code(HttpStatus.INTERNAL_SERVER_ERROR, null)).isEqualTo(Status.Code.INTERNAL);
    }
}
