package io.github.dl4jserving.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * A request whose bytes are not a valid message gets INVALID_ARGUMENT, like a malformed JSON body
 * over REST. grpc-java parses a request before any interceptor sees it and answers a failed parse
 * UNKNOWN ("Application error processing RPC"), so {@link GrpcServer} registers its services with
 * messages as streams ({@code ServerInterceptors.useInputStreamMessages}), which moves the parse into
 * the call listener this interceptor wraps.
 */
final class MalformedMessages implements ServerInterceptor {

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                try {
                    super.onMessage(message);
                } catch (StatusRuntimeException e) {
                    if (!(e.getCause() instanceof InvalidProtocolBufferException invalid)) {
                        throw e;
                    }
                    refused = true;
                    call.close(
                            Status.INVALID_ARGUMENT.withDescription("The request is not a valid "
                                    + call.getMethodDescriptor().getFullMethodName() + " message: "
                                    + invalid.getMessage()),
                            new Metadata());
                }
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }
        };
    }
}
