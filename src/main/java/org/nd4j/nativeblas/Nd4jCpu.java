package org.nd4j.nativeblas;

/**
 * The name under which DL4J 1.0.0-M2.1 looks for ND4J's native environment before it lets its
 * layers use oneDNN ({@code BaseMKLDNNHelper.mklDnnEnabled()} loads {@code
 * org.nd4j.nativeblas.Nd4jCpu$Environment} by reflection); ND4J 1.0.0-M2.1 moved that class to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings}, so without this class every convolution and batch
 * normalisation ran on DL4J's im2col path (3.6x slower per GAN iteration, docs/performance.md).
 * It answers with the real environment's oneDNN switch.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {}

    /** What DL4J asks of the environment: whether oneDNN is in use. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {}

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance()
                    .isUseONEDNN();
        }
    }
}
