package io.github.dl4jserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Brings up docker-compose.yml and checks that Prometheus scrapes the service. Needs a Docker
 * engine: without one (as on the build machines here) it is reported as skipped.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeStackTest {

    @Container
    static final ComposeContainer STACK = new ComposeContainer(new File("docker-compose.yml"))
            .withBuild(true)
            .withExposedService(
                    "dl4j-serving",
                    8080,
                    Wait.forHttp("/actuator/health/readiness").withStartupTimeout(Duration.ofMinutes(5)))
            .withExposedService("prometheus", 9090, Wait.forHttp("/-/ready"));

    @Test
    void prometheusListsTheServiceTargetAsUp() {
        String prometheus =
                "http://" + STACK.getServiceHost("prometheus", 9090) + ":" + STACK.getServicePort("prometheus", 9090);
        HttpClient http = HttpClient.newHttpClient();

        Awaitility.await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            String targets = http.send(
                            HttpRequest.newBuilder(URI.create(prometheus + "/api/v1/targets?state=active"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(targets).containsPattern("\"job\":\"dl4j-serving\"[^}]*}[^}]*\"health\":\"up\"");
        });
    }
}
