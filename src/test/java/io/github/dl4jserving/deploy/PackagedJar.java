package io.github.dl4jserving.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The jar that {@code package} built, and what the tests that run it as a child process share. */
final class PackagedJar {
    private PackagedJar() {}

    static Path path() throws IOException {
        try (Stream<Path> jars = Files.list(Path.of("target"))) {
            return jars.filter(p -> p.getFileName().toString().matches("dl4j-serving-.*\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("No packaged jar in target/: run after package"));
        }
    }

    /**
     * The jar on {@code port} over {@code models} as it is (no shipped models seeded into it), reading
     * data from ../shared/data, its output to {@code log}.
     */
    /**
     * Gives a server this process starts a gRPC port of its own: the integration tests run in two
     * forks, and two servers on the default 8081 would fail each other.
     */
    static ProcessBuilder withOwnGrpcPort(ProcessBuilder builder) throws IOException {
        builder.environment().put("DL4J_SERVING_GRPC_PORT", Integer.toString(freePort()));
        return builder;
    }

    static Process start(Path models, int port, Path log) throws IOException {
        return new ProcessBuilder(command(models, port))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /**
     * As {@link #start}, but no file the process writes may grow past {@code kib} KiB ({@code ulimit
     * -f}): a write beyond fails with EFBIG ("File too large"), as one on a full disk fails with ENOSPC.
     * The JVM ignores the SIGXFSZ that comes with it.
     */
    static Process startWithFileSizeLimit(Path models, int port, Path log, int kib) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", "-c", "ulimit -f " + kib + " && exec \"$0\" \"$@\""));
        command.addAll(command(models, port));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static List<String> command(Path models, int port) throws IOException {
        return List.of(
                java(),
                "-jar",
                path().toString(),
                "--server.port=" + port,
                "--dl4j-serving.grpc.port=" + freePort(),
                "--dl4j-serving.models-dir=" + models.toAbsolutePath(),
                "--dl4j-serving.seed-models-dir=",
                "--dl4j-serving.data-dir=" + Path.of("..", "shared", "data").toAbsolutePath());
    }

    /** Starts a breast-cancer-logreg job of 10,000 epochs (it runs far longer than the tests wait) and returns its id. */
    static String startLongJob(HttpClient http, String base) throws IOException, InterruptedException {
        return startJob(http, base, "{\"model\": \"breast-cancer-logreg\", \"hyperparameters\": {\"epochs\": 10000}}");
    }

    /** POSTs {@code request} to /jobs, expects 202 and returns the job's id. */
    static String startJob(HttpClient http, String base, String request) throws IOException, InterruptedException {
        HttpResponse<String> started = postJson(http, base + "/jobs", request);
        if (started.statusCode() != 202) {
            throw new AssertionError("the job was not accepted: " + started.statusCode() + " " + started.body());
        }
        return started.body().replaceAll("(?s)^\\{\"id\":\"([^\"]+)\".*", "$1");
    }

    static HttpResponse<String> postJson(HttpClient http, String url, String json)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** SIGTERM, up to a minute for the graceful shutdown, then SIGKILL if it is still running. */
    static void stop(Process server) throws InterruptedException {
        server.destroy();
        server.waitFor(60, TimeUnit.SECONDS);
        server.destroyForcibly();
    }

    /** A POST of {@code versionDir}'s model.zip and model.json (without its version) as a new version of {@code name}. */
    static HttpRequest modelUpload(String base, String name, Path versionDir) throws IOException {
        String descriptor = Files.readString(versionDir.resolve("model.json")).replaceFirst("\"version\" : \\d+,", "");
        String boundary = "packaged-jar-upload";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"; filename=\"model.zip\""
                        + "\r\nContent-Type: application/zip\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(versionDir.resolve("model.zip")));
        body.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"descriptor\"\r\n"
                        + "Content-Type: application/json\r\n\r\n" + descriptor + "\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(base + "/models/" + name + "/versions"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Polls {@code path} until it answers 200, for at most a minute; returns the last response. */
    static HttpResponse<String> awaitOk(HttpClient http, String url, Process server) throws InterruptedException {
        HttpResponse<String> last = null;
        for (int i = 0; i < 120 && server.isAlive(); i++) {
            try {
                last = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
                if (last.statusCode() == 200) {
                    return last;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        return last;
    }
}
