package io.github.dl4jserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.github.dl4jserving.registry.RegistrySettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

/**
 * The Helm chart, rendered by the Helm library helm-java bundles and parsed manifest by manifest with
 * fabric8's model, and the KServe runtime: their ports, probe paths, metrics and environment
 * variables agree with the running application, as {@link DeploymentConfigTest} checks compose.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HelmChartTest {
    static final Path CHART = Path.of("deploy", "helm", "dl4j-serving");
    static final Path RUNTIME = Path.of("deploy", "kserve", "cluster-serving-runtime.yaml");
    static final Path INFERENCE_SERVICE = Path.of("deploy", "kserve", "inference-service.yaml");
    static final KubernetesSerialization YAML = new KubernetesSerialization();

    @LocalServerPort
    int port;

    /** The chart rendered with {@code values} ("key=value"), one parsed object per manifest. */
    static List<HasMetadata> render(String... values) {
        TemplateCommand template = new Helm(CHART).template().withName("dl4j").withNamespace("models");
        for (String v : values) {
            template = template.set(v.substring(0, v.indexOf('=')), v.substring(v.indexOf('=') + 1));
        }
        return parse(template.call());
    }

    static List<HasMetadata> parse(String manifests) {
        List<HasMetadata> parsed = new ArrayList<>();
        for (String doc : manifests.split("(?m)^---\\s*$")) {
            if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
                parsed.add(YAML.unmarshal(doc, HasMetadata.class));
            }
        }
        return parsed;
    }

    static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static GenericKubernetesResource kind(List<HasMetadata> objects, String kind) {
        return objects.stream()
                .filter(o -> o.getKind().equals(kind))
                .map(GenericKubernetesResource.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind));
    }

    private int get(String path) {
        return RestClient.create("http://localhost:" + port)
                .get()
                .uri(path)
                .exchange((req, res) -> res.getStatusCode().value());
    }

    private String body(String path) {
        return RestClient.create("http://localhost:" + port)
                .get()
                .uri(path)
                .retrieve()
                .body(String.class);
    }

    /** Every environment variable the service reads is named in application.properties as ${NAME:...}. */
    static void assertTheServiceReadsEach(Stream<String> names) {
        String properties = DeploymentFiles.read(Path.of("src", "main", "resources", "application.properties"));
        List<String> unknown = names.filter(n -> n.startsWith("DL4J_SERVING_"))
                .filter(n -> !properties.contains("${" + n + ":"))
                .toList();
        assertThat(unknown).as("environment variables no setting reads").isEmpty();
    }

    private void assertServesItsProbesAndPort(Container c) {
        assertThat(c.getPorts())
                .anySatisfy(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
        for (var probe : List.of(c.getLivenessProbe(), c.getReadinessProbe())) {
            String path = probe.getHttpGet().getPath();
            assertThat(get(path)).as(path).isEqualTo(200);
        }
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
    }

    @Test
    void theDefaultReleaseServesFromS3WithATrainerAndProbesTheServiceAnswers() {
        List<HasMetadata> objects = render(
                "apiKey.existingSecret=dl4j-key",
                "registry.s3.credentialsSecret=dl4j-s3",
                "registry.s3.endpoint=http://minio.minio:9000");
        assertThat(objects)
                .extracting(HasMetadata::getKind)
                .contains(
                        "ConfigMap",
                        "Deployment",
                        "Service",
                        "PodDisruptionBudget",
                        "HorizontalPodAutoscaler",
                        "ConfigMap");

        ConfigMap config = all(objects, ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals("dl4j"))
                .findFirst()
                .orElseThrow();
        assertThat(config.getData())
                .containsEntry("DL4J_SERVING_REGISTRY_STORE", "s3")
                .containsEntry("DL4J_SERVING_REGISTRY_S3_BUCKET", "dl4j-models")
                .containsEntry("DL4J_SERVING_REGISTRY_S3_ENDPOINT", "http://minio.minio:9000")
                .containsEntry(
                        "DL4J_SERVING_SEED_MODELS_DIR",
                        DeploymentFiles.runtimeEnv().get("DL4J_SERVING_SEED_MODELS_DIR"))
                .containsEntry("DL4J_SERVING_GRPC_PORT", Integer.toString(DeploymentFiles.grpcPort()));
        assertTheServiceReadsEach(config.getData().keySet().stream());

        Deployment serving = all(objects, Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().equals("dl4j"))
                .findFirst()
                .orElseThrow();
        Deployment trainer = all(objects, Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().equals("dl4j-trainer"))
                .findFirst()
                .orElseThrow();
        assertThat(trainer.getSpec().getReplicas()).isEqualTo(1);
        assertThat(trainer.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        Service trainerService = all(objects, Service.class).stream()
                .filter(s -> s.getMetadata().getName().equals("dl4j-trainer"))
                .findFirst()
                .orElseThrow();

        for (Deployment d : List.of(serving, trainer)) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser())
                    .as("the Dockerfile's user")
                    .isEqualTo(10001L);
            Container c = pod.getContainers().get(0);
            assertServesItsProbesAndPort(c);
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(c.getVolumeMounts())
                    .extracting(m -> m.getMountPath())
                    .contains(config.getData().get("DL4J_SERVING_MODELS_DIR"), "/tmp");
            assertThat(c.getResources().getLimits().get("memory"))
                    .isEqualTo(c.getResources().getRequests().get("memory"));
            List<String> env = c.getEnv().stream().map(EnvVar::getName).toList();
            assertThat(env).contains("DL4J_SERVING_SECURITY_API_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
            assertTheServiceReadsEach(env.stream());
            EnvVar tool = c.getEnv().stream()
                    .filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
                    .findFirst()
                    .orElseThrow();
            assertThat(tool.getValue())
                    .as("the Dockerfile's memory flags, sized by the container's limit")
                    .contains(DeploymentFiles.runtimeEnv().get("JAVA_TOOL_OPTIONS"))
                    .contains("-Dorg.bytedeco.javacpp.cachedir=/tmp/");
        }
        Container servingContainer =
                serving.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(servingContainer.getPorts())
                .anySatisfy(p -> assertThat(p.getName() + ":" + p.getContainerPort())
                        .isEqualTo("grpc:" + DeploymentFiles.grpcPort()));
        Service servingService = all(objects, Service.class).stream()
                .filter(s -> s.getMetadata().getName().equals("dl4j"))
                .findFirst()
                .orElseThrow();
        assertThat(servingService.getSpec().getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("grpc");
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("grpc");
            assertThat(p.getAppProtocol()).as("gRPC is HTTP/2 in plaintext").isEqualTo("kubernetes.io/h2c");
        });
        assertThat(servingContainer.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("DL4J_SERVING_TRAINING_TRAINER_URL");
            assertThat(e.getValue())
                    .isEqualTo("http://" + trainerService.getMetadata().getName() + ":"
                            + trainerService.getSpec().getPorts().get(0).getPort());
        });
        assertThat(trainer.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv())
                .noneMatch(e -> e.getName().equals("DL4J_SERVING_TRAINING_TRAINER_URL"));

        PodDisruptionBudget pdb = all(objects, PodDisruptionBudget.class).get(0);
        assertThat(pdb.getSpec().getSelector().getMatchLabels())
                .isEqualTo(serving.getSpec().getSelector().getMatchLabels());
        HorizontalPodAutoscaler hpa =
                all(objects, HorizontalPodAutoscaler.class).get(0);
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("dl4j");
        assertThat(serving.getSpec().getReplicas())
                .as("the HPA owns the replica count")
                .isNull();

        ConfigMap dashboard = all(objects, ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals("dl4j-dashboard"))
                .findFirst()
                .orElseThrow();
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getData().get("dl4j-serving.json"))
                .as("the chart's copy of the compose dashboard")
                .isEqualTo(DeploymentFiles.read(DeploymentFiles.DASHBOARD).strip());
    }

    @Test
    @SuppressWarnings("unchecked")
    void kedaScalesOnTheQueueDepthTheServiceExportsAndTheServiceMonitorScrapesIt() {
        List<HasMetadata> objects = render("autoscaling.mode=keda", "serviceMonitor.enabled=true");
        assertThat(all(objects, HorizontalPodAutoscaler.class)).isEmpty();
        GenericKubernetesResource scaled = kind(objects, "ScaledObject");
        List<Map<String, Object>> triggers = (List<Map<String, Object>>)
                ((Map<String, Object>) scaled.getAdditionalProperties().get("spec")).get("triggers");
        String query = (String) ((Map<String, Object>) triggers.get(0).get("metadata")).get("query");
        Matcher metric = Pattern.compile("dl4j_[a-z_]+").matcher(query);
        assertThat(metric.find()).isTrue();
        assertThat(metric.group()).isEqualTo("dl4j_inference_queue_depth");
        GenericKubernetesResource monitor = kind(objects, "ServiceMonitor");
        Map<String, Object> endpoint = ((List<Map<String, Object>>)
                        ((Map<String, Object>) monitor.getAdditionalProperties().get("spec")).get("endpoints"))
                .get(0);
        String scrape = body((String) endpoint.get("path"));
        assertThat(scrape).contains(metric.group());
        assertThat(endpoint.get("port")).isEqualTo("http");
    }

    @Test
    void theMemoryBudgetAndThePinnedModelsReachEveryPod() {
        Map<String, String> unset = all(render(), ConfigMap.class).get(0).getData();
        assertThat(unset)
                .containsEntry("DL4J_SERVING_REGISTRY_MAX_LOADED_BYTES", "")
                .containsEntry("DL4J_SERVING_REGISTRY_KEEP_LOADED", "");

        Map<String, String> set = all(
                        render(
                                "registry.maxLoadedBytes=1500MB",
                                "registry.keepLoaded[0]=mnist-mlp",
                                "registry.keepLoaded[1]=mnist-dcgan"),
                        ConfigMap.class)
                .get(0)
                .getData();
        assertThat(set)
                .containsEntry("DL4J_SERVING_REGISTRY_MAX_LOADED_BYTES", "1500MB")
                .containsEntry("DL4J_SERVING_REGISTRY_KEEP_LOADED", "mnist-mlp,mnist-dcgan");
        assertTheServiceReadsEach(set.keySet().stream());
        // The service binds the pod's values as it would from its environment.
        RegistrySettings.Store store = new Binder(new MapConfigurationPropertySource(Map.of(
                        "max-loaded-bytes", set.get("DL4J_SERVING_REGISTRY_MAX_LOADED_BYTES"),
                        "keep-loaded", set.get("DL4J_SERVING_REGISTRY_KEEP_LOADED"))))
                .bindOrCreate("", RegistrySettings.Store.class);
        assertThat(store.memory().maxBytes()).isEqualTo(1500L * 1024 * 1024);
        assertThat(store.memory().keepLoaded()).containsExactlyInAnyOrder("mnist-mlp", "mnist-dcgan");
        RegistrySettings.Store none = new Binder(new MapConfigurationPropertySource(Map.of(
                        "max-loaded-bytes", unset.get("DL4J_SERVING_REGISTRY_MAX_LOADED_BYTES"),
                        "keep-loaded", unset.get("DL4J_SERVING_REGISTRY_KEEP_LOADED"))))
                .bindOrCreate("", RegistrySettings.Store.class);
        assertThat(none.memory().bounded()).isFalse();
    }

    @Test
    void grpcPortZeroLeavesTheGrpcPortsOut() {
        List<HasMetadata> objects = render("grpc.port=0");
        assertThat(all(objects, ConfigMap.class).get(0).getData()).containsEntry("DL4J_SERVING_GRPC_PORT", "0");
        for (Deployment d : all(objects, Deployment.class)) {
            assertThat(d.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getPorts())
                    .noneMatch(p -> "grpc".equals(p.getName()));
        }
        for (Service s : all(objects, Service.class)) {
            assertThat(s.getSpec().getPorts()).noneMatch(p -> "grpc".equals(p.getName()));
        }
    }

    @Test
    void tracingIsOffUnlessAskedForAndExportsOnlyToAGivenEndpoint() {
        ConfigMap off = all(render(), ConfigMap.class).get(0);
        assertThat(off.getData())
                .containsEntry("DL4J_SERVING_TRACING_ENABLED", "false")
                .doesNotContainKey("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT");
        ConfigMap on = all(
                        render("tracing.enabled=true", "tracing.otlpEndpoint=http://otel:4318/v1/traces"),
                        ConfigMap.class)
                .get(0);
        assertThat(on.getData())
                .containsEntry("DL4J_SERVING_TRACING_ENABLED", "true")
                .containsEntry("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", "http://otel:4318/v1/traces");
        assertTheServiceReadsEach(on.getData().keySet().stream());
    }

    @Test
    void theTrainJobRunsTheTrainCommandAgainstTheSameBucket() {
        List<HasMetadata> objects =
                render("trainJob.enabled=true", "trainJob.model=mnist-softmax", "registry.s3.credentialsSecret=s3");
        Job job = all(objects, Job.class).get(0);
        Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getArgs()).startsWith("train", "mnist-softmax");
        assertThat(c.getEnvFrom().get(0).getConfigMapRef().getName()).isEqualTo("dl4j");
        assertThat(c.getEnv()).extracting(EnvVar::getName).contains("AWS_ACCESS_KEY_ID");
        assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theKServeRuntimeServesOipFromAReadOnlySingleModelDirectory() {
        List<HasMetadata> runtime = parse(DeploymentFiles.read(RUNTIME));
        GenericKubernetesResource csr = kind(runtime, "ClusterServingRuntime");
        Map<String, Object> spec =
                (Map<String, Object>) csr.getAdditionalProperties().get("spec");
        assertThat((List<String>) spec.get("protocolVersions")).containsExactly("v2", "grpc-v2");
        assertThat((List<Map<String, Object>>) spec.get("supportedModelFormats"))
                .anySatisfy(f -> assertThat(f.get("name")).isEqualTo("dl4j"));
        Map<String, String> annotations = (Map<String, String>) spec.get("annotations");
        assertThat(body(annotations.get("prometheus.kserve.io/path"))).contains("dl4j_models_loaded");
        assertThat(annotations.get("prometheus.kserve.io/port")).isEqualTo("8080");

        Container c = YAML.convertValue(((List<Object>) spec.get("containers")).get(0), Container.class);
        assertThat(c.getName()).isEqualTo("kserve-container");
        assertThat(c.getPorts().get(0).getContainerPort()).isEqualTo(8080);
        // KServe sends gRPC to the container's second port, by h2c.
        assertThat(c.getPorts().get(1).getName()).isEqualTo("h2c");
        assertThat(c.getPorts().get(1).getContainerPort()).isEqualTo(DeploymentFiles.grpcPort());
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/live");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/ready");
        for (String path : List.of("/v2/health/live", "/v2/health/ready")) {
            assertThat(get(path)).as(path).isEqualTo(200);
        }
        Map<String, String> env = new java.util.HashMap<>();
        c.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
        assertThat(env)
                .containsEntry("DL4J_SERVING_MODELS_DIR", "/mnt/models")
                .containsEntry("DL4J_SERVING_REGISTRY_READ_ONLY", "true")
                .containsEntry("DL4J_SERVING_GRPC_PORT", Integer.toString(DeploymentFiles.grpcPort()))
                .containsKey("DL4J_SERVING_REGISTRY_MODEL_NAME");
        assertTheServiceReadsEach(env.keySet().stream());

        List<HasMetadata> example = parse(DeploymentFiles.read(INFERENCE_SERVICE));
        Map<String, Object> model =
                (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) kind(example, "InferenceService")
                                        .getAdditionalProperties()
                                        .get("spec"))
                                .get("predictor"))
                        .get("model");
        assertThat(model.get("runtime")).isEqualTo(csr.getMetadata().getName());
        assertThat((String) model.get("storageUri")).startsWith("s3://");
        assertThat(((Map<String, Object>) model.get("modelFormat")).get("name")).isEqualTo("dl4j");
        assertThat(Arrays.asList("v2")).contains((String) model.get("protocolVersion"));
    }
}
