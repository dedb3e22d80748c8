package io.github.dl4jserving.training.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The DL4J and project versions recorded in every descriptor's provenance. DL4J's jar manifests
 * carry no version, so it is read from the {@code pom.properties} Maven put into the jar that
 * holds {@link MultiLayerNetwork}: it follows whatever version the build resolved.
 */
public final class BuildVersions {
    public static final String DL4J = dl4jVersion();
    static final String PROJECT = projectVersion();

    private BuildVersions() {}

    private static String projectVersion() {
        return property(BuildVersions.class, "/META-INF/build-info.properties", "build.version");
    }

    static String dl4jVersion() {
        String fromManifest = MultiLayerNetwork.class.getPackage().getImplementationVersion();
        return fromManifest != null
                ? fromManifest
                : property(
                        MultiLayerNetwork.class,
                        "/META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties",
                        "version");
    }

    /** {@code key} of the properties file {@code resource} beside {@code owner}, or "unknown". */
    private static String property(Class<?> owner, String resource, String key) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty(key, "unknown");
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }
}
