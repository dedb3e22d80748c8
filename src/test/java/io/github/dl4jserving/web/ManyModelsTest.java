package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.ShippedModels;
import io.github.dl4jserving.registry.LoadedModel;
import io.github.dl4jserving.registry.internal.FileModelStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Many models under a memory budget, on the real server: a store of fourteen copies of the shipped
 * logistic regression (each with weights of its own), a pinned one among them, and a copy of the
 * MLP that is larger than the whole budget. The budget holds the pinned model and three others.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ManyModelsTest extends RunningServer {
    static final String ROW = "{\"features\": [5, 1, 1, 1, 2, 1, 3, 1, 1]}";
    /** What one copy holds when it serves: one worker's parameters and one batch of 64, by DL4J's report. */
    static final long UNIT;

    static final Path STORE;

    static {
        try {
            STORE = Files.createTempDirectory("many-models");
            FileModelStore store = new FileModelStore(STORE);
            LoadedModel logreg = ShippedModels.registry().get("breast-cancer-logreg", null);
            for (String name : List.of(
                    "keep", "tab-a", "tab-b", "tab-c", "tab-d", "tab-e", "tab-f", "tab-g", "tab-h", "tab-i", "tab-j",
                    "tab-k", "tab-del")) {
                MultiLayerNetwork copy = logreg.network().clone();
                copy.params().addi(name.hashCode() % 7 / 100.0);
                store.writeNewVersion(logreg.descriptor().withName(name), copy, logreg.normalizer());
                if (name.equals("tab-del")) {
                    store.writeNewVersion(logreg.descriptor().withName(name), copy, logreg.normalizer());
                }
            }
            LoadedModel mlp = ShippedModels.registry().get("mnist-mlp", null);
            store.writeNewVersion(mlp.descriptor().withName("big"), mlp.network(), mlp.normalizer());
            MultiLayerNetwork net = logreg.network();
            UNIT = net.getLayerWiseConfigurations()
                    .getMemoryReport(InputType.feedForward(net.layerInputSize(0)))
                    .getTotalMemoryBytes(
                            64,
                            MemoryUseMode.INFERENCE,
                            CacheMode.NONE,
                            net.params().dataType());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void budget(DynamicPropertyRegistry properties) {
        properties.add("dl4j-serving.models-dir", STORE::toString);
        properties.add("dl4j-serving.seed-models-dir", () -> "");
        properties.add("dl4j-serving.registry.max-loaded-bytes", () -> Long.toString(4 * UNIT + UNIT / 2));
        properties.add("dl4j-serving.registry.keep-loaded", () -> "keep");
    }

    @Test
    void aListedModelLoadsOnItsFirstRequestAndCountsTheColdStart() {
        assertThat(memory("tab-a", 1).get("loaded").asBoolean()).isFalse();
        assertThat(client.get("/models/tab-a/ready").statusCode()).isEqualTo(503);

        HttpResponse<byte[]> answer = predict("tab-a");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(HttpTestClient.json(answer).get("model").asString()).isEqualTo("tab-a");
        JsonNode state = memory("tab-a", 1);
        assertThat(state.get("loaded").asBoolean()).isTrue();
        assertThat(state.get("bytes").asLong()).isEqualTo(UNIT);
        assertThat(state.get("lastUsed").isNull()).isFalse();
        assertThat(coldStarts("tab-a")).isEqualTo(1);
        predict("tab-a");
        assertThat(coldStarts("tab-a")).as("a warm model is no cold start").isEqualTo(1);
    }

    @Test
    void concurrentFirstRequestsWaitForOneLoad() throws Exception {
        int callers = 16;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                statuses.add(pool.submit(() -> {
                    start.await();
                    return predict("tab-b").statusCode();
                }));
            }
            start.countDown();
            for (Future<Integer> status : statuses) {
                assertThat(status.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(coldStarts("tab-b")).isEqualTo(1);
    }

    @Test
    void oneOffRequestsLeaveBeforeModelsCalledAgainAndPinnedModelsNever() {
        // Room for exactly three, whatever the other tests left in memory.
        for (String name : loaded()) {
            if (!name.equals("keep")) {
                assertThat(client.postJson("/v2/repository/models/" + name + "/unload", "")
                                .statusCode())
                        .isEqualTo(200);
            }
        }
        for (String name : List.of("tab-c", "tab-d", "tab-e")) {
            assertThat(predict(name).statusCode()).isEqualTo(200);
        }
        assertThat(predict("tab-c").statusCode()).isEqualTo(200); // tab-d is now the least recently used
        long evictionsBefore = counter("dl4j_model_evictions_total");

        assertThat(predict("tab-f").statusCode()).isEqualTo(200);

        assertThat(loaded()).contains("keep", "tab-c", "tab-e", "tab-f").doesNotContain("tab-d");
        assertThat(counter("dl4j_model_evictions_total")).isEqualTo(evictionsBefore + 1);
        assertThat(gauge("dl4j_models_memory_used_bytes")).isLessThanOrEqualTo(gauge("dl4j_models_memory_max_bytes"));
        // Three more loads: versions requested once leave first (LRU-2), so tab-c, requested twice,
        // outlives them, and the pinned model is never a candidate.
        for (String name : List.of("tab-g", "tab-h", "tab-i")) {
            assertThat(predict(name).statusCode()).isEqualTo(200);
        }
        assertThat(loaded()).containsExactlyInAnyOrder("keep", "tab-c", "tab-h", "tab-i");
        assertThat(client.post("/models/keep/versions/1/unload", "application/json", new byte[0])
                        .statusCode())
                .isEqualTo(409);
        // An evicted model loads again on its next request.
        assertThat(predict("tab-d").statusCode()).isEqualTo(200);
        assertThat(coldStarts("tab-d")).isEqualTo(2);
    }

    @Test
    void aModelLargerThanTheWholeBudgetIsRefusedWith507() {
        HttpResponse<byte[]> answer = client.postJson("/predict?model=big", "{\"pixels\": " + zeros(784) + "}");

        assertThat(answer.statusCode()).isEqualTo(507);
        assertThat(HttpTestClient.contentType(answer)).startsWith("application/problem+json");
        assertThat(HttpTestClient.json(answer).get("detail").asString())
                .contains("more than the whole budget")
                .contains("max-loaded-bytes");
        assertThat(loaded()).doesNotContain("big").contains("keep");
    }

    @Test
    void theManagementEndpointsLoadAndUnloadOverRestAndTheOpenInferenceProtocol() {
        HttpResponse<byte[]> load = client.post("/models/tab-j/versions/1/load", "application/json", new byte[0]);
        assertThat(load.statusCode()).isEqualTo(200);
        assertThat(HttpTestClient.json(load).get("loaded").asBoolean()).isTrue();
        assertThat(client.get("/v2/models/tab-j/ready").statusCode()).isEqualTo(200);
        assertThat(indexState("tab-j")).isEqualTo("READY");

        HttpResponse<byte[]> unload = client.post("/models/tab-j/versions/1/unload", "application/json", new byte[0]);
        assertThat(unload.statusCode()).isEqualTo(200);
        assertThat(HttpTestClient.json(unload).get("loaded").asBoolean()).isFalse();
        assertThat(client.get("/v2/models/tab-j/ready").statusCode()).isEqualTo(503);
        assertThat(indexState("tab-j")).isEqualTo("UNAVAILABLE");

        assertThat(client.postJson("/v2/repository/models/tab-j/load", "").statusCode())
                .isEqualTo(200);
        assertThat(indexState("tab-j")).isEqualTo("READY");
        assertThat(memory("tab-j", 1).get("loaded").asBoolean()).isTrue();
        assertThat(client.postJson("/v2/repository/models/tab-j/unload", "").statusCode())
                .isEqualTo(200);
        assertThat(indexState("tab-j")).isEqualTo("UNAVAILABLE");
        JsonNode readyOnly = HttpTestClient.json(client.postJson("/v2/repository/index", "{\"ready\": true}"));
        readyOnly.forEach(row -> assertThat(row.get("state").asString()).isEqualTo("READY"));
        assertThat(client.postJson("/v2/repository/models/nope/load", "").statusCode())
                .isEqualTo(404);
    }

    @Test
    void aVersionDeletedWhileLoadedLeavesMemory() {
        assertThat(predict("tab-del").statusCode()).isEqualTo(200);
        assertThat(client.postJson("/models/tab-del/versions/1/load", "").statusCode())
                .isEqualTo(200);
        assertThat(memory("tab-del", 1).get("loaded").asBoolean()).isTrue();

        assertThat(client.delete("/models/tab-del/versions/1").statusCode()).isEqualTo(204);

        JsonNode model = model("tab-del");
        assertThat(model.get("versions").toString()).isEqualTo("[2]");
        assertThat(client.post("/predict?model=tab-del&version=1", "application/json", ROW.getBytes())
                        .statusCode())
                .isEqualTo(404);
        assertThat(predict("tab-del").statusCode()).isEqualTo(200);
    }

    @Test
    void readinessWaitsForThePinnedModelsOnly() {
        assertThat(client.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(client.get("/v2/health/ready").statusCode()).isEqualTo(200);
        assertThat(client.get("/v2/models/keep/ready").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> cold = client.get("/v2/models/tab-k/ready");
        assertThat(cold.statusCode()).isEqualTo(503);
        assertThat(HttpTestClient.json(cold).get("ready").asBoolean()).isFalse();
        String info = new String(client.get("/actuator/info").body());
        assertThat(info).contains("\"modelMemory\"").contains("\"maxBytes\":" + (4 * UNIT + UNIT / 2));
    }

    private HttpResponse<byte[]> predict(String model) {
        return client.postJson("/predict?model=" + model, ROW);
    }

    private JsonNode model(String name) {
        for (JsonNode m : HttpTestClient.json(client.get("/models"))) {
            if (m.get("name").asString().equals(name)) {
                return m;
            }
        }
        throw new AssertionError(name + " is not listed");
    }

    private JsonNode memory(String name, int version) {
        for (JsonNode v : model(name).get("memory")) {
            if (v.get("version").asInt() == version) {
                return v;
            }
        }
        throw new AssertionError(name + " has no version " + version);
    }

    private List<String> loaded() {
        List<String> names = new ArrayList<>();
        for (JsonNode m : HttpTestClient.json(client.get("/models"))) {
            for (JsonNode v : m.get("memory")) {
                if (v.get("loaded").asBoolean()) {
                    names.add(m.get("name").asString());
                }
            }
        }
        return names;
    }

    private String indexState(String name) {
        for (JsonNode row : HttpTestClient.json(client.postJson("/v2/repository/index", ""))) {
            if (row.get("name").asString().equals(name)) {
                return row.get("state").asString();
            }
        }
        throw new AssertionError(name + " is not in the repository index");
    }

    private long coldStarts(String model) {
        return Math.round(value("dl4j_model_cold_starts_seconds_count\\{model=\"" + model + "\"[^}]*}"));
    }

    private long counter(String name) {
        return Math.round(value(name + "(\\{[^}]*})?"));
    }

    private double gauge(String name) {
        return value(name + "(\\{[^}]*})?");
    }

    private double value(String series) {
        String scrape = new String(client.get("/actuator/prometheus").body());
        Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(m.groupCount())) : 0;
    }

    private static String zeros(int n) {
        return "[" + "0,".repeat(n - 1) + "0]";
    }
}
