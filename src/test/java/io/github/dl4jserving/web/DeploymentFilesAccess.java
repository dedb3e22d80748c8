package io.github.dl4jserving.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The deployment files the web tests start the service from. */
final class DeploymentFilesAccess {
    private DeploymentFilesAccess() {}

    static String kserveRuntime() {
        try {
            return Files.readString(Path.of("deploy", "kserve", "cluster-serving-runtime.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
