package io.github.dl4jserving.grpc;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code dl4j-serving.grpc.*}: the gRPC port of the Open Inference Protocol.
 *
 * @param port                 the port, 8081 by default ({@code DL4J_SERVING_GRPC_PORT}); 0 turns gRPC off
 * @param certificate          a PEM certificate chain: with {@code privateKey}, the port speaks TLS;
 *                             without both, plaintext HTTP/2 (h2c), as inside a cluster
 * @param privateKey           the certificate's PEM private key (PKCS#8)
 * @param maxConcurrentStreams calls one connection may have open at once (HTTP/2's
 *                             SETTINGS_MAX_CONCURRENT_STREAMS); a client's further calls wait on its side
 */
@ConfigurationProperties("dl4j-serving.grpc")
public record GrpcSettings(
        @DefaultValue("8081") int port,
        Path certificate,
        Path privateKey,
        @DefaultValue("64") int maxConcurrentStreams) {

    public GrpcSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("dl4j-serving.grpc.port must be from 0 (off) to 65535, not " + port);
        }
        if ((certificate == null) != (privateKey == null)) {
            throw new IllegalArgumentException("TLS for gRPC needs both dl4j-serving.grpc.certificate and "
                    + "dl4j-serving.grpc.private-key; set both, or neither for plaintext.");
        }
        if (maxConcurrentStreams < 1) {
            throw new IllegalArgumentException(
                    "dl4j-serving.grpc.max-concurrent-streams must be positive, not " + maxConcurrentStreams);
        }
    }

    public boolean enabled() {
        return port > 0;
    }

    public boolean tls() {
        return certificate != null;
    }
}
