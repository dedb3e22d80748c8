package io.github.dl4jserving;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server on loopback: s3proxy 2.7.0 over a temporary directory, run as its own
 * process from the jar Maven copies to {@code target/s3proxy} (its shaded Jetty stays off the test
 * classpath). It can be stopped and started again on the same port and directory, to play a store
 * that goes away. The service's S3 client takes its credentials from the SDK's default chain, so
 * the constructor sets the {@code aws.accessKeyId} and {@code aws.secretAccessKey} system properties.
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";
    public static final Path JAR = Path.of("target", "s3proxy", "s3proxy.jar");

    private final Path dataDir;
    private final int port;
    private Process process;

    /** A server on a free port, not started. */
    public S3Server(Path dataDir) throws IOException {
        this(dataDir, freePort());
    }

    public S3Server(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
    }

    /** A port free on this machine now, for a server a test starts. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the server and waits, up to 60 s, until it accepts connections. */
    public S3Server start() throws IOException, InterruptedException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run the tests through Maven (process-test-resources)");
        }
        Files.createDirectories(dataDir);
        Path properties = dataDir.resolveSibling(dataDir.getFileName() + ".properties");
        Files.writeString(
                properties,
                String.join(
                        "\n",
                        "s3proxy.endpoint=" + endpoint(),
                        "s3proxy.authorization=aws-v2-or-v4",
                        "s3proxy.identity=" + ACCESS_KEY,
                        "s3proxy.credential=" + SECRET_KEY,
                        "jclouds.provider=filesystem",
                        "jclouds.filesystem.basedir=" + dataDir.toAbsolutePath(),
                        ""));
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        process = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-jar",
                        JAR.toAbsolutePath().toString(),
                        "--properties",
                        properties.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("s3proxy exited: " + Files.readString(log));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return this;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("s3proxy did not start in 60 s: " + Files.readString(log));
    }

    /** Stops the server; its data stay for a later {@link #start}. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor();
            process = null;
        }
    }

    /** A client for the tests' own checks and set-up, with the server's credentials. */
    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** Creates {@code bucket}. */
    public void createBucket(String bucket) {
        try (S3Client s3 = client()) {
            s3.createBucket(r -> r.bucket(bucket));
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
