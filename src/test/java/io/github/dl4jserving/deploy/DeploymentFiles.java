package io.github.dl4jserving.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

/** The Dockerfile, docker-compose.yml and the deploy/ configs, read as data. */
final class DeploymentFiles {
    static final Path DOCKERFILE = Path.of("Dockerfile");
    static final Path COMPOSE = Path.of("docker-compose.yml");
    static final Path PROMETHEUS = Path.of("deploy", "prometheus", "prometheus.yml");
    static final Path DASHBOARD = Path.of("deploy", "grafana", "dashboards", "dl4j-serving.json");
    static final Path NGINX = Path.of("deploy", "nginx", "nginx.conf");

    private DeploymentFiles() {}

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path p) {
        return new Yaml().load(read(p));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> dashboard() {
        return JsonMapper.builder().build().readValue(read(DASHBOARD), Map.class);
    }

    /** The Dockerfile's exec-form ENTRYPOINT. */
    static List<String> entrypoint() {
        Matcher m = Pattern.compile("(?m)^ENTRYPOINT\\s+\\[(.*)]\\s*$").matcher(read(DOCKERFILE));
        if (!m.find()) {
            throw new IllegalStateException("The Dockerfile has no exec-form ENTRYPOINT");
        }
        List<String> args = new ArrayList<>();
        Matcher arg = Pattern.compile("\"([^\"]*)\"").matcher(m.group(1));
        while (arg.find()) {
            args.add(arg.group(1));
        }
        return args;
    }

    /** The runtime stage's ENV assignments, in order. */
    static Map<String, String> runtimeEnv() {
        String runtime = read(DOCKERFILE).split("(?m)^FROM .* AS runtime")[1];
        Map<String, String> env = new LinkedHashMap<>();
        Matcher block = Pattern.compile("(?ms)^ENV (.*?)(?<!\\\\)$").matcher(runtime);
        while (block.find()) {
            Matcher kv = Pattern.compile("([A-Z0-9_]+)=(\"[^\"]*\"|\\S+)")
                    .matcher(block.group(1).replace("\\\n", " "));
            while (kv.find()) {
                env.put(kv.group(1), kv.group(2).replace("\"", ""));
            }
        }
        return env;
    }

    /** The default of dl4j-serving.grpc.port in application.properties: the gRPC port every deployment opens. */
    static int grpcPort() {
        Matcher m = Pattern.compile("(?m)^dl4j-serving\\.grpc\\.port=\\$\\{DL4J_SERVING_GRPC_PORT:(\\d+)}$")
                .matcher(read(Path.of("src", "main", "resources", "application.properties")));
        if (!m.find()) {
            throw new IllegalStateException("application.properties sets no dl4j-serving.grpc.port default");
        }
        return Integer.parseInt(m.group(1));
    }

    /** The HEALTHCHECK's URL path. */
    static String healthcheckPath() {
        Matcher m = Pattern.compile("(?s)HEALTHCHECK.*?CMD .*?http://localhost:8080(/\\S+)")
                .matcher(read(DOCKERFILE));
        if (!m.find()) {
            throw new IllegalStateException("The Dockerfile has no HEALTHCHECK against localhost:8080");
        }
        return m.group(1);
    }
}
