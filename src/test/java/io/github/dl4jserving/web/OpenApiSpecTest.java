package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The spec the application serves is written to {@code target/openapi.yaml} on every build and
 * must equal the committed {@code openapi/openapi.yaml}; it must also parse cleanly.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiSpecTest extends RunningServer {
    static final Path COMMITTED = Path.of("openapi", "openapi.yaml");
    static final Path GENERATED = Path.of("target", "openapi.yaml");

    String served;

    @BeforeEach
    void fetch() throws IOException {
        served = new String(client.get("/v3/api-docs.yaml").body(), StandardCharsets.UTF_8);
        Files.createDirectories(GENERATED.getParent());
        Files.writeString(GENERATED, served);
        if (Boolean.getBoolean("openapi.update")) {
            Files.writeString(COMMITTED, served);
        }
    }

    @Test
    void theCommittedSpecIsWhatTheApplicationServes() throws IOException {
        assertThat(COMMITTED).isRegularFile();
        assertThat(Files.readString(COMMITTED))
                .as("openapi/openapi.yaml differs from the spec the application serves (written to "
                        + "target/openapi.yaml). Regenerate it with: ./mvnw test -Dtest=OpenApiSpecTest "
                        + "-Dopenapi.update=true, then commit it.")
                .isEqualTo(served);
    }

    @Test
    void theSpecParsesWithoutErrorsAndDocumentsEveryOperation() {
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(served);

        assertThat(result.getMessages()).isEmpty();
        OpenAPI api = result.getOpenAPI();
        assertThat(api.getPaths())
                .containsKeys(
                        "/predict",
                        "/predict/{model}",
                        "/generate",
                        "/models",
                        "/models/{name}",
                        "/models/{name}/versions/{version}");
        api.getPaths().forEach((path, item) -> {
            for (Operation op : item.readOperations()) {
                assertThat(op.getSummary()).as("summary of %s", path).isNotBlank();
                assertThat(op.getResponses()).as("responses of %s", path).containsKey("200");
            }
        });
        Operation predict = api.getPaths().get("/predict").getPost();
        assertThat(predict.getRequestBody().getContent())
                .containsKeys("multipart/form-data", "image/png", "image/jpeg", "application/json", "text/csv");
        assertThat(predict.getRequestBody().getContent().get("application/json").getExamples())
                .containsKeys(
                        "image-base64",
                        "image-pixels",
                        "image-batch",
                        "tabular-features",
                        "tabular-array",
                        "tabular-batch");
        assertThat(api.getPaths()
                        .get("/predict/{model}")
                        .getPost()
                        .getRequestBody()
                        .getContent()
                        .get("application/json")
                        .getExamples())
                .containsKeys("generator-seed", "generator-z", "generator-interpolate");
        for (String status : List.of("400", "404", "413", "415", "422")) {
            assertThat(predict.getResponses().get(status).getContent())
                    .as(status)
                    .containsKey("application/problem+json");
        }
        assertThat(api.getComponents().getSchemas())
                .containsKeys(
                        "Problem", "Classification", "TabularClassification", "GeneratedResponse", "ModelDescriptor");
    }

    @Test
    void servesSwaggerUi() {
        assertThat(client.get("/swagger-ui.html").statusCode()).isIn(200, 302);
        assertThat(new String(client.get("/swagger-ui/index.html").body(), StandardCharsets.UTF_8))
                .contains("swagger-ui");
        assertThat(new String(client.get("/v3/api-docs/swagger-config").body(), StandardCharsets.UTF_8))
                .contains("/v3/api-docs");
    }
}
