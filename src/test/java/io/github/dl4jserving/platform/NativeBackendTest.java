package io.github.dl4jserving.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/** Threads that ask get OpenMP teams of the configured size; threads that do not keep OpenMP's default. */
class NativeBackendTest {

    @Test
    void limitsTheOpenMpTeamsOfTheThreadsThatAsk() throws Exception {
        Nd4j.getEnvironment(); // the native ops need ND4J loaded first
        int openMpDefault = onNewThread(NativeBackendTest::openMpThreads);
        int limit = openMpDefault + 1; // any number OpenMP would not give unasked
        try {
            int configuring = onNewThread(() -> {
                NativeBackend.limitOperationThreads(limit);
                return openMpThreads();
            });
            int asking = onNewThread(() -> {
                NativeBackend.limitOpenMpOfThisThread();
                return openMpThreads();
            });
            int notAsking = onNewThread(NativeBackendTest::openMpThreads);
            assertThat(configuring).as("the configuring thread").isEqualTo(limit);
            assertThat(asking).as("a thread that asks").isEqualTo(limit);
            assertThat(notAsking).as("a thread that does not ask").isEqualTo(openMpDefault);
        } finally {
            NativeBackend.limitOperationThreads(1); // as the tests' forks run (OMP_NUM_THREADS=1)
        }
    }

    private static int openMpThreads() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

    private static int onNewThread(IntSupplier task) throws InterruptedException {
        int[] result = new int[1];
        Thread thread = new Thread(() -> result[0] = task.getAsInt());
        thread.start();
        thread.join();
        return result[0];
    }
}
