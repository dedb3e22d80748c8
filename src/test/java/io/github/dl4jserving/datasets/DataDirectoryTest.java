package io.github.dl4jserving.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.github.dl4jserving.TestData;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads go through a real HTTP server on loopback that serves the real file, or a wrong one. */
class DataDirectoryTest {
    private HttpServer server;
    private byte[] served;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, served.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(served);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/file");
    }

    @Test
    void usesAFileThatIsAlreadyThereWithoutDownloading() {
        Path file = TestData.dataDirectory().resolve(DatasetFile.BREAST_CANCER);

        assertThat(file).isRegularFile();
        assertThat(DataDirectory.sha256(file)).isEqualTo(DatasetFile.BREAST_CANCER.sha256());
    }

    @Test
    void downloadsAMissingFileAndChecksItsSha256(@TempDir Path dir) throws IOException {
        served = Files.readAllBytes(TestData.dataDirectory().resolve(DatasetFile.BREAST_CANCER));
        DataDirectory data = new DataDirectory(dir, f -> url());

        Path file = data.resolve(DatasetFile.BREAST_CANCER);

        assertThat(file).startsWith(dir.toAbsolutePath()).hasBinaryContent(served);
        assertThat(BreastCancerCsvReader.read(file)).hasSize(699);
    }

    @Test
    void refusesADownloadWhoseSha256DiffersAndLeavesNothingBehind(@TempDir Path dir) throws IOException {
        served = "not the breast cancer table\n".getBytes();
        DataDirectory data = new DataDirectory(dir, f -> url());

        assertThatThrownBy(() -> data.resolve(DatasetFile.BREAST_CANCER))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("breast-cancer-wisconsin/breast-cancer-wisconsin.data")
                .hasMessageContaining(DatasetFile.BREAST_CANCER.sha256())
                .hasMessageContaining(dir.toAbsolutePath().toString());
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void namesTheFileAndTheDirectoryWhenTheNetworkFails(@TempDir Path dir) throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        DataDirectory data = new DataDirectory(dir, f -> URI.create("http://127.0.0.1:" + closedPort + "/x"));

        assertThatThrownBy(() -> data.resolve(DatasetFile.MNIST_TEST_LABELS))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("mnist/t10k-labels-idx1-ubyte.gz")
                .hasMessageContaining("Put mnist/t10k-labels-idx1-ubyte.gz")
                .hasMessageContaining(dir.toAbsolutePath().toString());
    }
}
