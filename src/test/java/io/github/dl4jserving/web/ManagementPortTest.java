package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** With management.server.port set, the actuator moves off the service port. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
class ManagementPortTest extends RunningServer {
    @Value("${local.management.port}")
    int managementPort;

    @Test
    void servesTheActuatorOnlyOnTheManagementPort() {
        HttpTestClient management = new HttpTestClient(managementPort);

        assertThat(managementPort).isNotEqualTo(port);
        assertThat(management.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(management.get("/actuator/prometheus").statusCode()).isEqualTo(200);
        assertThat(client.get("/actuator/health").statusCode()).isEqualTo(404);
        assertThat(client.get("/models").statusCode()).isEqualTo(200);
    }
}
