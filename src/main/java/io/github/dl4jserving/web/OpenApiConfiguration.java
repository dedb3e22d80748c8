package io.github.dl4jserving.web;

import io.github.dl4jserving.inference.Answers;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.servers.Server;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document. {@code POST /predict} is served by one handler per content type, which
 * springdoc merges into a single operation it cannot describe well, so that operation's request
 * bodies, responses and errors are written out ({@link PredictApiDocs}). Every operation also gets
 * the problem responses it can return.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {
    static final String PROBLEM = "Problem";

    @Bean
    OpenAPI dl4jServingOpenApi(ObjectProvider<BuildProperties> build) {
        BuildProperties props = build.getIfAvailable();
        return new OpenAPI()
                .info(new Info()
                        .title("dl4j-serving")
                        .version(props != null ? props.getVersion() : "dev")
                        .description("Serves Deeplearning4j networks over REST: digit images, table rows and a "
                                + "digit generator. Errors are RFC 9457 problem details."))
                // Relative, so "Try it out" calls whichever host served the page.
                .servers(List.of(new Server().url("/").description("this server")));
    }

    @Bean
    OpenApiCustomizer predictOperations() {
        return openApi -> {
            Components components = openApi.getComponents() != null ? openApi.getComponents() : new Components();
            openApi.setComponents(components);
            components.addSchemas(PROBLEM, problemSchema());
            for (Class<?> type : List.of(
                    Answers.Classification.class,
                    Answers.TabularClassification.class,
                    PredictController.GeneratedResponse.class)) {
                ModelConverters.getInstance().readAll(type).forEach(components::addSchemas);
            }
            for (Map.Entry<String, PathItem> path : openApi.getPaths().entrySet()) {
                if (path.getKey().startsWith("/predict")) {
                    PredictApiDocs.describe(
                            path.getValue().getPost(), path.getKey().contains("{model}"));
                }
                for (Operation op : path.getValue().readOperations()) {
                    addProblems(op, path.getKey());
                }
            }
        };
    }

    private static final String STORAGE =
            "The disk refused the write (full, over a quota or a file size limit); " + "nothing was kept";

    /** The problem responses an operation can give, by path. */
    private static void addProblems(Operation op, String path) {
        Map<String, String> problems = new LinkedHashMap<>();
        if (path.startsWith("/predict") || path.equals("/generate")) {
            problems.put("400", "The image or the JSON cannot be read, or a parameter has the wrong type");
            problems.put("404", "No such model or version");
            if (path.startsWith("/predict")) {
                problems.put("413", "The body is over dl4j-serving.max-body-size");
                problems.put("415", "A content type this endpoint or model does not take");
            }
            problems.put("422", "An invalid value; 'field' names it");
            problems.put("503", "The model's request queue is full; retry after Retry-After seconds");
        } else if (path.startsWith("/models/")) {
            problems.put("404", "No such model or version");
            switch (String.valueOf(op.getOperationId())) {
                case "uploadModelVersion" -> {
                    problems.put("400", "A part is missing or the multipart body is malformed");
                    problems.put("413", "The upload is over dl4j-serving.max-body-size");
                    problems.put(
                            "422",
                            "The zip holds entries ModelSerializer does not write for a network (such as a "
                                    + "Java-serialized preprocessor.bin) or a CUSTOM normalizer, declares more than "
                                    + "dl4j-serving.max-model-parameters parameters, does not load, or does not run "
                                    + "the descriptor's input and output to finite numbers");
                    problems.put("507", STORAGE);
                }
                case "setDefaultVersion" -> problems.put("422", "No version number was given");
                case "deleteModelVersion" ->
                    problems.put("409", "The version is the default and other versions remain");
                default -> {}
            }
        }
        if (String.valueOf(op.getOperationId()).matches("upload(Csv|Zip)Dataset|uploadDatasetParts")) {
            problems.put("507", STORAGE);
        }
        problems.forEach((status, description) -> op.getResponses()
                .addApiResponse(
                        status,
                        new ApiResponse()
                                .description(description)
                                .content(new Content()
                                        .addMediaType(
                                                "application/problem+json", new MediaType().schema(ref(PROBLEM))))));
    }

    private static Schema<?> problemSchema() {
        return new ObjectSchema()
                .description("RFC 9457 problem details")
                .addProperty("type", new StringSchema().example("about:blank"))
                .addProperty("title", new StringSchema().example("Invalid input"))
                .addProperty("status", new IntegerSchema().example(422))
                .addProperty(
                        "detail",
                        new StringSchema().example("features.bare_nuclei is 11, outside its valid range 1 to 10."))
                .addProperty("instance", new StringSchema().example("/predict"))
                .addProperty(
                        "field",
                        new StringSchema()
                                .example("features.bare_nuclei")
                                .description("the request value at fault, when there is one"));
    }

    static Schema<?> ref(String name) {
        return new Schema<>().$ref("#/components/schemas/" + name);
    }
}
