package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** With an API key configured, the real server refuses state changes without it and serves the rest. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "dl4j-serving.security.api-key=test-key-123")
class ApiKeyTest extends RunningServer {

    @Test
    void stateChangesNeedTheKeyAndInferenceDoesNot() {
        HttpResponse<byte[]> anonymous = client.postJson("/jobs", "{}");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(HttpTestClient.contentType(anonymous)).startsWith("application/problem+json");
        assertThat(new String(anonymous.body())).doesNotContain("test-key-123");
        // The shape of every other problem: the path as instance, no about:blank type.
        assertThat(HttpTestClient.json(anonymous).get("instance").asString()).isEqualTo("/jobs");
        assertThat(HttpTestClient.json(anonymous).has("type")).isFalse();
        assertThat(client.postJson("/jobs", "{}", "X-API-Key", "nope").statusCode())
                .isEqualTo(401);
        assertThat(client.postJson("/jobs", "{}", "Authorization", "Bearer test-key-123")
                        .statusCode())
                .as("past the key check, refused by the controller")
                .isEqualTo(422);
        assertThat(client.post("/datasets?target=y", "text/csv", "a,y\n1,p\n2,q\n".getBytes())
                        .statusCode())
                .isEqualTo(401);

        assertThat(client.postJson("/predict", ServingEndToEndTest.BENIGN_ROW).statusCode())
                .isEqualTo(200);
        assertThat(client.get("/jobs").statusCode()).isEqualTo(200);
        assertThat(client.get("/models").statusCode()).isEqualTo(200);
    }

    @Test
    void conflictingOrMalformedCredentialsAreRefusedBeforeAnyKeyIsCompared() {
        HttpResponse<byte[]> conflicting =
                client.postJson("/jobs", "{}", "X-API-Key", "wrong", "Authorization", "Bearer test-key-123");
        assertThat(conflicting.statusCode())
                .as("a wrong X-API-Key beside a right Bearer: " + new String(conflicting.body()))
                .isEqualTo(400);
        assertThat(HttpTestClient.contentType(conflicting)).startsWith("application/problem+json");
        assertThat(new String(conflicting.body()))
                .contains("two different keys")
                .doesNotContain("test-key-123");
        assertThat(client.get("/models", "X-API-Key", "test-key-123", "Authorization", "Bearer other")
                        .statusCode())
                .as("on reads too")
                .isEqualTo(400);
        assertThat(client.postJson("/jobs", "{}", "X-API-Key", "test-key-123", "Authorization", "Bearer test-key-123")
                        .statusCode())
                .as("the same key twice: past the key check, refused by the controller")
                .isEqualTo(422);
        assertThat(client.postJson("/jobs", "{}", "X-API-Key", "test-key-123", "Authorization", "Basic dXNlcjpwdw==")
                        .statusCode())
                .as("another scheme in Authorization is not a second key")
                .isEqualTo(422);
    }
}
