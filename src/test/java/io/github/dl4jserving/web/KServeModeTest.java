package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.Dl4jServingApplication;
import io.github.dl4jserving.TestData;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The service as KServe's runtime starts it: the environment of
 * {@code deploy/kserve/cluster-serving-runtime.yaml}, read from the file, over a {@code /mnt/models}
 * laid out as the storage initializer copies one model's folder. It answers the OIP calls KServe
 * makes, and refuses every write with 409 without touching the directory.
 */
class KServeModeTest {
    static final String MODEL = "breast-cancer-logreg";
    static final String ROW = "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 9], \"datatype\": \"FP32\","
            + " \"data\": [5, 1, 1, 1, 2, 1, 3, 1, 1]}]}";

    @TempDir
    Path mnt;

    /**
     * The runtime's environment variables as {@code --setting=value} arguments, each mapped to the
     * setting whose {@code ${NAME:default}} in application.properties reads it (the tests' own
     * properties set some settings directly, which an environment variable would not override), with
     * KServe's {{.Name}} filled in.
     */
    static List<String> runtimeEnvironment(Path modelsDir, String modelName) throws IOException {
        Map<String, String> settingOf = new HashMap<>();
        Matcher placeholder = Pattern.compile("(?m)^([\\w.-]+)=\\$\\{(DL4J_SERVING_\\w+):")
                .matcher(Files.readString(Path.of("src", "main", "resources", "application.properties")));
        while (placeholder.find()) {
            settingOf.put(placeholder.group(2), placeholder.group(1));
        }
        String runtime = DeploymentFilesAccess.kserveRuntime();
        Matcher env =
                Pattern.compile("- name: (\\w+)\\n\\s+value: \"?([^\"\\n]*)\"?").matcher(runtime);
        List<String> args = new ArrayList<>();
        while (env.find()) {
            if (env.group(1).equals("JAVA_TOOL_OPTIONS")) {
                continue;
            }
            assertThat(settingOf).as("a setting reads " + env.group(1)).containsKey(env.group(1));
            String value = env.group(2).replace("{{.Name}}", modelName).replace("/mnt/models", modelsDir.toString());
            args.add("--" + settingOf.get(env.group(1)) + "=" + value);
        }
        return args;
    }

    private List<String> files() throws IOException {
        try (Stream<Path> walk = Files.walk(mnt)) {
            return walk.map(p -> mnt.relativize(p)
                            + (Files.isDirectory(p) ? "/" : " " + p.toFile().length()))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void servesOneModelFromAReadOnlyDirectoryAndRefusesWrites() throws IOException {
        TestData.copyTree(TestData.MODELS_DIR.resolve(MODEL).resolve("1"), mnt.resolve("1"));
        Files.writeString(mnt.resolve("default-version"), "1\n");
        List<String> before = files();
        List<String> args = new ArrayList<>(runtimeEnvironment(mnt, MODEL));
        assertThat(args).contains("--dl4j-serving.registry.read-only=true", "--dl4j-serving.models-dir=" + mnt);
        args.add("--server.port=0");
        args.add("--dl4j-serving.data-dir=" + TestData.DATA_DIR);
        try (ConfigurableApplicationContext app =
                new SpringApplicationBuilder(Dl4jServingApplication.class).run(args.toArray(String[]::new))) {
            HttpTestClient client =
                    new HttpTestClient(Integer.parseInt(app.getEnvironment().getProperty("local.server.port")));
            assertThat(client.get("/v2/health/live").statusCode()).isEqualTo(200);
            HttpResponse<byte[]> ready = client.get("/actuator/health/readiness");
            assertThat(client.get("/v2/health/ready").statusCode())
                    .as(new String(ready.body()))
                    .isEqualTo(200);
            assertThat(client.get("/v2/models/" + MODEL + "/ready").statusCode())
                    .isEqualTo(200);
            assertThat(HttpTestClient.json(client.get("/models")))
                    .extracting(m -> m.get("name").asString())
                    .containsExactly(MODEL);
            HttpResponse<byte[]> inferred = client.postJson("/v2/models/" + MODEL + "/infer", ROW);
            assertThat(inferred.statusCode()).isEqualTo(200);

            HttpResponse<byte[]> job = client.postJson("/jobs", "{\"model\": \"" + MODEL + "\"}");
            assertThat(job.statusCode()).isEqualTo(409);
            assertThat(HttpTestClient.json(job).get("detail").asString()).contains("read-only");
            HttpResponse<byte[]> pin = client.put("/models/" + MODEL + "/default", "{\"version\": 1}");
            assertThat(pin.statusCode()).isEqualTo(409);
            assertThat(HttpTestClient.contentType(pin)).startsWith("application/problem+json");
            JsonNode store = HttpTestClient.json(client.get("/actuator/health")).at("/components/modelStore");
            assertThat(store.at("/details/readOnly").asBoolean()).isTrue();
            assertThat(store.at("/details/location").asString())
                    .as("no local path on an unauthenticated endpoint")
                    .isEqualTo("the models directory (single model '" + MODEL + "')");
        }
        assertThat(files()).as("the directory is exactly as KServe copied it").isEqualTo(before);
    }
}
