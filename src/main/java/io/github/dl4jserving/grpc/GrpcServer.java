package io.github.dl4jserving.grpc;

import io.github.dl4jserving.grpc.v2.GRPCInferenceServiceGrpc;
import io.github.dl4jserving.platform.LifecyclePhases;
import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The gRPC port: the inference service, gRPC health checking ({@code grpc.health.v1}, SERVING while
 * the service is ready, for the server as a whole and for {@code inference.GRPCInferenceService})
 * and server reflection, behind the given interceptors. Plaintext HTTP/2 unless a certificate is
 * configured. Messages are held to {@code maxMessageBytes} (the REST body limit) and a connection to
 * {@code maxConcurrentStreams} open calls. Built in the constructor, bound in {@link #start()}
 * (after the models are warm), and drained on {@link #stop()}: calls in progress may finish for up to
 * {@code drainSeconds}.
 */
final class GrpcServer implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(GrpcServer.class);
    static final String INFERENCE_SERVICE = GRPCInferenceServiceGrpc.SERVICE_NAME;

    private final GrpcSettings settings;
    private final int maxMessageBytes;
    private final List<BindableService> services;
    private final List<ServerInterceptor> interceptors;
    private final BooleanSupplier ready;
    private final long drainSeconds;
    private final HealthStatusManager health = new HealthStatusManager();
    private volatile Server server;
    private ScheduledExecutorService healthUpdates;

    /**
     * @param interceptors applied to every service, the first outermost
     * @param ready        whether the service is ready, asked every second for the health service
     */
    GrpcServer(
            GrpcSettings settings,
            int maxMessageBytes,
            List<BindableService> services,
            List<ServerInterceptor> interceptors,
            BooleanSupplier ready,
            long drainSeconds) {
        this.settings = settings;
        this.maxMessageBytes = maxMessageBytes;
        this.services = services;
        this.interceptors = interceptors;
        this.ready = ready;
        this.drainSeconds = drainSeconds;
    }

    @Override
    public void start() {
        if (!settings.enabled()) {
            log.info("gRPC is off (dl4j-serving.grpc.port=0)");
            return;
        }
        NettyServerBuilder builder = NettyServerBuilder.forPort(settings.port(), credentials())
                .maxInboundMessageSize(maxMessageBytes)
                .maxConcurrentCallsPerConnection(settings.maxConcurrentStreams());
        // Messages travel as streams up to MalformedMessages, which parses them where a failure can be
        // answered INVALID_ARGUMENT; ServerInterceptors.intercept runs the last interceptor given first.
        List<ServerInterceptor> inward = new ArrayList<>(interceptors);
        Collections.reverse(inward);
        inward.add(0, new MalformedMessages());
        List<BindableService> all = new ArrayList<>(services);
        all.add(health.getHealthService());
        all.add(ProtoReflectionServiceV1.newInstance());
        for (BindableService service : all) {
            builder.addService(ServerInterceptors.intercept(
                    ServerInterceptors.useInputStreamMessages(service.bindService()), inward));
        }
        updateHealth();
        try {
            server = builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "gRPC could not listen on port " + settings.port() + " (dl4j-serving.grpc.port; 0 turns gRPC off)",
                    e);
        }
        healthUpdates = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "grpc-health");
            t.setDaemon(true);
            return t;
        });
        healthUpdates.scheduleWithFixedDelay(this::updateHealth, 1, 1, TimeUnit.SECONDS);
        log.info("gRPC (Open Inference Protocol) on port {} ({})", server.getPort(), settings.tls() ? "TLS" : "h2c");
    }

    private ServerCredentials credentials() {
        if (!settings.tls()) {
            return InsecureServerCredentials.create();
        }
        try {
            return TlsServerCredentials.create(
                    settings.certificate().toFile(), settings.privateKey().toFile());
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "dl4j-serving.grpc.certificate and private-key must be readable PEM files: " + e.getMessage(), e);
        }
    }

    private void updateHealth() {
        ServingStatus status = ready.getAsBoolean() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
        health.setStatus(INFERENCE_SERVICE, status);
    }

    @Override
    public void stop() {
        Server running = server;
        if (running == null) {
            return;
        }
        healthUpdates.shutdownNow();
        health.enterTerminalState();
        running.shutdown();
        try {
            if (!running.awaitTermination(drainSeconds, TimeUnit.SECONDS)) {
                running.shutdownNow();
            }
        } catch (InterruptedException e) {
            running.shutdownNow();
            Thread.currentThread().interrupt();
        }
        server = null;
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    @Override
    public int getPhase() {
        return LifecyclePhases.GRPC_SERVER;
    }

    /** The port the server listens on, or -1 when it does not run. */
    int port() {
        Server running = server;
        return running == null ? -1 : running.getPort();
    }
}
