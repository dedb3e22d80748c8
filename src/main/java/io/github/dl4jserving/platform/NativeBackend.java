package io.github.dl4jserving.platform;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * How ND4J and DL4J are told, before either loads, to run on the oneDNN build of ND4J's native
 * library (the {@code linux-x86_64-onednn} jar, the only one the build ships) and to let DL4J's
 * convolution, pooling and batch-normalisation layers call it. DL4J 1.0.0-M2.1 disables those
 * helpers unless {@value #HELPERS_DISABLE} is {@code false}. A value given on the command line wins.
 * Also how many threads one ND4J operation may use, in every place that number lives.
 */
public final class NativeBackend {
    static final String PLATFORM_EXTENSION = "org.bytedeco.javacpp.platform.extension";
    static final String HELPERS_DISABLE = "org.eclipse.deeplearning4j.helpers.disable";

    private static volatile int operationThreads;

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

    /**
     * Limits each ND4J operation to {@code threads} threads (0 keeps ND4J's default, one per core):
     * ND4J's own pool, OpenBLAS, and the OpenMP teams of the calling thread. ND4J 1.0.0-M2.1's
     * {@code Environment.maxThreads()} still reads one per core after {@code setMaxThreads(1)}, so the
     * limit is kept here for {@link #limitOpenMpOfThisThread}.
     */
    public static void limitOperationThreads(int threads) {
        operationThreads = threads;
        if (threads > 0) {
            Nd4j.getEnvironment().setMaxThreads(threads);
            Nd4j.getEnvironment().setMaxMasterThreads(threads);
            Nd4j.factory().blas().setMaxThreads(threads);
            limitOpenMpOfThisThread();
        }
    }

    /**
     * Holds the OpenMP teams that ND4J's reductions and custom ops start from the calling thread to
     * the limit of {@link #limitOperationThreads}. OpenMP keeps that number per thread and starts
     * every thread at one per core (or {@code OMP_NUM_THREADS}): on two cores a one-thread training
     * job still woke a second OpenMP thread for each reduction and spun it, 13% of an mnist-mlp epoch
     * (docs/performance.md). Call it on a thread before it trains.
     */
    public static void limitOpenMpOfThisThread() {
        int threads = operationThreads;
        if (threads > 0) {
            Nd4j.getEnvironment(); // loads ND4J, without which the native ops do not load
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        }
    }
}
