package io.github.dl4jserving.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jserving.S3Server;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gRPC server on its own: TLS from PEM files, health that follows readiness, its port setting. */
class GrpcServerTest {
    @TempDir
    Path dir;

    private GrpcServer server(GrpcSettings settings, AtomicBoolean ready) {
        return new GrpcServer(settings, 1 << 20, List.of(), List.of(), ready::get, 1);
    }

    private static ServingStatus health(ManagedChannel channel) {
        return HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance())
                .getStatus();
    }

    @Test
    void servesTlsFromAPemCertificateAndRefusesPlaintextThere() throws Exception {
        Path[] pem = selfSignedPem();
        GrpcServer server = server(new GrpcSettings(S3Server.freePort(), pem[0], pem[1], 64), new AtomicBoolean(true));
        server.start();
        try {
            ChannelCredentials trusting = TlsChannelCredentials.newBuilder()
                    .trustManager(pem[0].toFile())
                    .build();
            ManagedChannel tls = Grpc.newChannelBuilderForAddress("localhost", server.port(), trusting)
                    .build();
            ManagedChannel plain = Grpc.newChannelBuilderForAddress(
                            "localhost", server.port(), InsecureChannelCredentials.create())
                    .build();
            try {
                assertThat(health(tls)).isEqualTo(ServingStatus.SERVING);
                assertThatThrownBy(() -> health(plain))
                        .isInstanceOf(StatusRuntimeException.class)
                        .extracting(
                                e -> ((StatusRuntimeException) e).getStatus().getCode())
                        .isEqualTo(Status.Code.UNAVAILABLE);
            } finally {
                tls.shutdownNow();
                plain.shutdownNow();
            }
        } finally {
            server.stop();
        }
        assertThat(server.isRunning()).isFalse();
    }

    @Test
    void healthFollowsTheServicesReadinessAndEndsNotServing() throws Exception {
        AtomicBoolean ready = new AtomicBoolean(false);
        GrpcServer server = server(new GrpcSettings(S3Server.freePort(), null, null, 64), ready);
        server.start();
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(
                        "localhost", server.port(), InsecureChannelCredentials.create())
                .build();
        try {
            assertThat(health(channel)).isEqualTo(ServingStatus.NOT_SERVING);
            ready.set(true);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (health(channel) != ServingStatus.SERVING && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(health(channel)).isEqualTo(ServingStatus.SERVING);
        } finally {
            channel.shutdownNow();
            server.stop();
        }
    }

    @Test
    void portZeroTurnsGrpcOffAndATakenPortNamesTheSetting() throws Exception {
        GrpcServer off = server(new GrpcSettings(0, null, null, 64), new AtomicBoolean(true));
        off.start();
        assertThat(off.isRunning()).isFalse();
        assertThat(off.port()).isEqualTo(-1);
        try (ServerSocket taken = new ServerSocket(0)) {
            GrpcServer clash = server(new GrpcSettings(taken.getLocalPort(), null, null, 64), new AtomicBoolean(true));
            assertThatThrownBy(clash::start)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("dl4j-serving.grpc.port");
        }
    }

    @Test
    void settingsRefuseHalfATlsConfigurationAndImpossiblePorts() {
        assertThatThrownBy(() -> new GrpcSettings(8081, Path.of("cert.pem"), null, 64))
                .hasMessageContaining("needs both");
        assertThatThrownBy(() -> new GrpcSettings(70000, null, null, 64)).hasMessageContaining("65535");
        assertThatThrownBy(() -> new GrpcSettings(8081, null, null, 0)).hasMessageContaining("max-concurrent-streams");
        assertThat(new GrpcSettings(0, null, null, 64).enabled()).isFalse();
    }

    /** A self-signed certificate for localhost by the JDK's keytool, written out as PEM: [chain, key]. */
    private Path[] selfSignedPem() throws Exception {
        Path store = dir.resolve("grpc.p12");
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(
                        keytool,
                        "-genkeypair",
                        "-alias",
                        "grpc",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        store.toString(),
                        "-storepass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0)
                .as(out)
                .isTrue();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes());
        Path cert = dir.resolve("cert.pem");
        Files.writeString(
                cert,
                "-----BEGIN CERTIFICATE-----\n"
                        + base64.encodeToString(ks.getCertificate("grpc").getEncoded())
                        + "\n-----END CERTIFICATE-----\n");
        Path key = dir.resolve("key.pem");
        Files.writeString(
                key,
                "-----BEGIN PRIVATE KEY-----\n"
                        + base64.encodeToString(
                                ks.getKey("grpc", "changeit".toCharArray()).getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
        return new Path[] {cert, key};
    }
}
