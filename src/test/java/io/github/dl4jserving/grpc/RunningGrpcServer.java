package io.github.dl4jserving.grpc;

import io.github.dl4jserving.S3Server;
import io.github.dl4jserving.grpc.v2.GRPCInferenceServiceGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service with its gRPC port open on a free port, API key and protect-reads set, so the
 * gRPC tests meet the key rule; one application context for every subclass. A real grpc-java
 * channel to it, and a plain HTTP client for the REST side of the same protocol.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "dl4j-serving.registry-rescan-interval=1h",
            "dl4j-serving.security.api-key=" + RunningGrpcServer.KEY,
            "dl4j-serving.security.protect-reads=true"
        })
abstract class RunningGrpcServer {
    static final String KEY = "grpc-test-key-42";
    static final int GRPC_PORT = S3Server.freePort();

    @DynamicPropertySource
    static void grpcPort(DynamicPropertyRegistry registry) {
        registry.add("dl4j-serving.grpc.port", () -> GRPC_PORT);
    }

    @LocalServerPort
    int httpPort;

    static ManagedChannel channel;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void connect() {
        channel = Grpc.newChannelBuilderForAddress("localhost", GRPC_PORT, InsecureChannelCredentials.create())
                .maxInboundMessageSize(32 << 20)
                .build();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    /** A stub that sends the API key as x-api-key. */
    static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub() {
        return withHeader(ApiKeyInterceptor.API_KEY, KEY);
    }

    static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub withHeader(
            Metadata.Key<String> key, String value) {
        Metadata headers = new Metadata();
        headers.put(key, value);
        return GRPCInferenceServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    /** A stub without any key. */
    static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub anonymous() {
        return GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    HttpResponse<String> rest(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path))
                .timeout(Duration.ofSeconds(60))
                .header("X-API-Key", KEY);
        request = json == null
                ? request.GET()
                : request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
