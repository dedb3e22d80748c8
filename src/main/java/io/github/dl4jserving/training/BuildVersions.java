package io.github.dl4jserving.training;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** The DL4J and project versions recorded in every descriptor's provenance. */
final class BuildVersions {
    static final String DL4J = orElse(MultiLayerNetwork.class.getPackage().getImplementationVersion(), "1.0.0-M2.1");
    static final String PROJECT = projectVersion();

    private BuildVersions() {
    }

    private static String projectVersion() {
        try (InputStream in = BuildVersions.class.getResourceAsStream("/META-INF/build-info.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("build.version", "unknown");
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }

    private static String orElse(String value, String fallback) {
        return value != null ? value : fallback;
    }
}
