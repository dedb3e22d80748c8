package io.github.dl4jserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * What can be checked about the deployment without Docker: the compose file, the Prometheus and
 * Grafana configs and the Dockerfile agree with each other and with the running application.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DeploymentConfigTest {
    @LocalServerPort
    int port;

    @Value("${server.port:8080}")
    String configuredPort;

    private String get(String path) {
        return RestClient.create("http://localhost:" + port)
                .get()
                .uri(path)
                .retrieve()
                .body(String.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesThePathAndPortTheServiceServes() {
        Map<String, Object> prometheus = DeploymentFiles.yaml(DeploymentFiles.PROMETHEUS);
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) prometheus.get("scrape_configs");
        Map<String, Object> service = jobs.stream()
                .filter(j -> j.get("job_name").equals("dl4j-serving"))
                .findFirst()
                .orElseThrow();
        String path = (String) service.get("metrics_path");
        List<String> targets = (List<String>) ((List<Map<String, Object>>) service.get("static_configs"))
                .get(0)
                .get("targets");

        assertThat(targets).containsExactly("dl4j-serving:8080");
        assertThat(DeploymentFiles.read(DeploymentFiles.DOCKERFILE)).contains("EXPOSE 8080");
        assertThat(get(path)).contains("dl4j_models_loaded", "dl4j_inference_queue_depth");
        Map<String, Object> services = (Map<String, Object>)
                DeploymentFiles.yaml(DeploymentFiles.COMPOSE).get("services");
        assertThat(services).containsKeys("dl4j-serving", "prometheus", "grafana", "replica-1", "replica-2", "nginx");
        int grpc = DeploymentFiles.grpcPort();
        assertThat((List<String>) ((Map<String, Object>) services.get("dl4j-serving")).get("ports"))
                .containsExactly("8080:8080", grpc + ":" + grpc);
    }

    @Test
    void theImageOpensTheGrpcPortTheServiceListensOn() {
        int grpc = DeploymentFiles.grpcPort();
        assertThat(DeploymentFiles.read(DeploymentFiles.DOCKERFILE)).contains("EXPOSE 8080 " + grpc);
        assertThat(DeploymentFiles.runtimeEnv()).containsEntry("DL4J_SERVING_GRPC_PORT", Integer.toString(grpc));
    }

    @Test
    void theHealthcheckPathExistsAndReportsReadiness() {
        String path = DeploymentFiles.healthcheckPath();

        assertThat(path).isEqualTo("/actuator/health/readiness");
        assertThat(get(path)).contains("\"status\":\"UP\"");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theVolumesAreTheDirectoriesTheServiceIsConfiguredWith() {
        Map<String, Object> service = (Map<String, Object>) ((Map<String, Object>)
                        DeploymentFiles.yaml(DeploymentFiles.COMPOSE).get("services"))
                .get("dl4j-serving");
        Map<String, String> env = (Map<String, String>) service.get("environment");
        List<String> volumes = (List<String>) service.get("volumes");
        Map<String, String> dockerEnv = DeploymentFiles.runtimeEnv();

        assertThat(volumes)
                .contains("models:" + env.get("DL4J_SERVING_MODELS_DIR"), "data:" + env.get("DL4J_SERVING_DATA_DIR"));
        assertThat(dockerEnv)
                .containsEntry("DL4J_SERVING_MODELS_DIR", env.get("DL4J_SERVING_MODELS_DIR"))
                .containsEntry("DL4J_SERVING_DATA_DIR", env.get("DL4J_SERVING_DATA_DIR"));
        assertThat(DeploymentFiles.read(DeploymentFiles.DOCKERFILE))
                .contains("VOLUME [\"" + env.get("DL4J_SERVING_MODELS_DIR") + "\", \""
                        + env.get("DL4J_SERVING_DATA_DIR") + "\"]")
                .contains("COPY models/ " + dockerEnv.get("DL4J_SERVING_SEED_MODELS_DIR") + "/");
        assertThat(env).containsKey("DL4J_SERVING_REGISTRY_RESCAN_INTERVAL");
        assertThat(DeploymentFiles.read(DeploymentFiles.NGINX))
                .contains("server replica-1:8080", "server replica-2:8080");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theScaleProfileRunsTwoReplicasOnOneS3RepositoryWithOneTrainer() {
        Map<String, Object> services = (Map<String, Object>)
                DeploymentFiles.yaml(DeploymentFiles.COMPOSE).get("services");
        Map<String, String> s3 = (Map<String, String>) ((Map<String, Object>) services.get("s3")).get("environment");
        Map<String, String> one =
                (Map<String, String>) ((Map<String, Object>) services.get("replica-1")).get("environment");
        Map<String, String> two =
                (Map<String, String>) ((Map<String, Object>) services.get("replica-2")).get("environment");
        for (Map<String, String> replica : List.of(one, two)) {
            assertThat(replica)
                    .containsEntry("DL4J_SERVING_REGISTRY_STORE", "s3")
                    .containsEntry("DL4J_SERVING_REGISTRY_S3_ENDPOINT", "http://s3:80")
                    .containsEntry("DL4J_SERVING_REGISTRY_S3_BUCKET", "dl4j-models")
                    .containsEntry("AWS_ACCESS_KEY_ID", s3.get("S3PROXY_IDENTITY"))
                    .containsEntry("AWS_SECRET_ACCESS_KEY", s3.get("S3PROXY_CREDENTIAL"));
            HelmChartTest.assertTheServiceReadsEach(replica.keySet().stream());
        }
        assertThat(s3.get("S3PROXY_ENDPOINT")).endsWith(":80");
        assertThat(DeploymentFiles.read(DeploymentFiles.DOCKERFILE)).contains("EXPOSE 8080");
        assertThat((List<String>) ((Map<String, Object>) services.get("s3-bucket")).get("command"))
                .contains("/data/dl4j-models");
        assertThat(one).doesNotContainKey("DL4J_SERVING_TRAINING_TRAINER_URL");
        assertThat(two).containsEntry("DL4J_SERVING_TRAINING_TRAINER_URL", "http://replica-1:8080");
        List<String> models = new ArrayList<>();
        for (String replica : List.of("replica-1", "replica-2")) {
            ((List<String>) ((Map<String, Object>) services.get(replica)).get("volumes"))
                    .stream()
                            .filter(v -> v.endsWith(":" + one.get("DL4J_SERVING_MODELS_DIR")))
                            .forEach(models::add);
        }
        assertThat(models)
                .as("each replica's job records and cache in a volume of its own")
                .hasSize(2)
                .doesNotHaveDuplicates();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyServiceMetricOnTheDashboardIsExported() {
        List<String> expressions = new ArrayList<>();
        for (Map<String, Object> panel :
                (List<Map<String, Object>>) DeploymentFiles.dashboard().get("panels")) {
            for (Map<String, Object> target : (List<Map<String, Object>>) panel.get("targets")) {
                expressions.add((String) target.get("expr"));
            }
        }
        // Real traffic first, a good row and a bad one, so the per-model meters exist.
        for (String row : List.of("[5, 1, 1, 1, 2, 1, 3, 1, 1]", "[5, 1]")) {
            RestClient.create("http://localhost:" + port)
                    .post()
                    .uri("/predict")
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(("{\"features\": " + row + "}").getBytes(StandardCharsets.UTF_8))
                    .exchange((req, res) -> null);
        }
        String scrape = get("/actuator/prometheus");
        Matcher metric = Pattern.compile("\\b(dl4j_[a-z_]+|jvm_[a-z_]+)").matcher(String.join("\n", expressions));
        List<String> missing = new ArrayList<>();
        while (metric.find()) {
            String name = metric.group(1).replaceAll("_(bucket|sum|count)$", "");
            // Training meters appear once the jobs runner feeds them; their names are checked in
            // TrainingMetricsTest.
            if (!name.startsWith("dl4j_training") && !scrape.contains(name)) {
                missing.add(name);
            }
        }
        assertThat(missing).isEmpty();
        assertThat(String.join("\n", expressions))
                .contains(
                        "dl4j_training_jobs",
                        "dl4j_training_loss",
                        "dl4j_inference_rejected_total",
                        "dl4j_inference_batch_size_bucket",
                        "dl4j_nd4j_offheap_used_bytes");
        assertThat(configuredPort).isNotBlank();
    }

    @Test
    void theDockerfileSpringBootRunAndTheBenchmarksStartTheJvmWithTheSameCollector() {
        List<String> entrypoint = DeploymentFiles.entrypoint();
        List<String> flags = entrypoint.subList(1, entrypoint.indexOf("-jar"));
        assertThat(flags).as("the Dockerfile chooses a collector").anyMatch(f -> f.matches("-XX:\\+Use\\w+GC"));
        Matcher pom = Pattern.compile("<jvmArguments>([^<]*)</jvmArguments>")
                .matcher(DeploymentFiles.read(Path.of("pom.xml")));
        assertThat(pom.find()).as("pom.xml gives spring-boot:run its JVM flags").isTrue();
        assertThat(List.of(pom.group(1).trim().split("\\s+"))).isEqualTo(flags);
        Matcher bench = Pattern.compile("BENCH_DEFAULT_JAVA_OPTS=\"([^\"]*)\"")
                .matcher(DeploymentFiles.read(Path.of("bench", "server.sh")));
        assertThat(bench.find()).isTrue();
        assertThat(List.of(bench.group(1).trim().split("\\s+")))
                .as("bench/server.sh measures what ships")
                .isEqualTo(flags);
    }
}
