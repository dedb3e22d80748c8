package io.github.dl4jserving.platform;

/**
 * How ND4J and DL4J are told, before either loads, to run on the oneDNN build of ND4J's native
 * library (the {@code linux-x86_64-onednn} jar, the only one the build ships) and to let DL4J's
 * convolution, pooling and batch-normalisation layers call it. DL4J 1.0.0-M2.1 disables those
 * helpers unless {@value #HELPERS_DISABLE} is {@code false}. A value given on the command line wins.
 */
public final class NativeBackend {
    static final String PLATFORM_EXTENSION = "org.bytedeco.javacpp.platform.extension";
    static final String HELPERS_DISABLE = "org.eclipse.deeplearning4j.helpers.disable";

    private NativeBackend() {}

    /** Sets the two properties unless already set; call first thing in every {@code main}. */
    public static void configure() {
        if (System.getProperty(PLATFORM_EXTENSION) == null) {
            System.setProperty(PLATFORM_EXTENSION, "-onednn");
        }
        if (System.getProperty(HELPERS_DISABLE) == null) {
            System.setProperty(HELPERS_DISABLE, "false");
        }
    }
}
