package io.github.dl4jserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Builds the image from the Dockerfile and runs it. Needs a Docker engine: without one (as on the
 * build machines here) it is reported as skipped.
 */
@Testcontainers(disabledWithoutDocker = true)
class DockerImageTest {

    @Container
    static final GenericContainer<?> SERVICE = new GenericContainer<>(
                    new ImageFromDockerfile("dl4j-serving-test", false).withFileFromPath(".", Path.of(".")))
            .withExposedPorts(8080)
            .waitingFor(Wait.forHttp("/actuator/health/readiness")
                    .forStatusCode(200)
                    .withStartupTimeout(Duration.ofMinutes(3)));

    @Test
    void theImageBecomesReadyAndClassifiesAPng() throws Exception {
        String base = "http://" + SERVICE.getHost() + ":" + SERVICE.getMappedPort(8080);
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base + "/predict"))
                                .header("Content-Type", "image/png")
                                .POST(HttpRequest.BodyPublishers.ofFile(Path.of("bench", "digit.png")))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"label\":\"7\"");
        assertThat(SERVICE.execInContainer("id", "-u").getStdout().trim()).isNotEqualTo("0");
    }
}
