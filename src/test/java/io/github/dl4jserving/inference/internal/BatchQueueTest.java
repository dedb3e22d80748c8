package io.github.dl4jserving.inference.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jserving.ShippedModels;
import io.github.dl4jserving.TestData;
import io.github.dl4jserving.inference.BatchingSettings;
import io.github.dl4jserving.inference.ServiceBusyException;
import io.github.dl4jserving.registry.LoadedModel;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The batch queue on the shipped networks: coalescing, per-request answers, and backpressure. */
class BatchQueueTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private BatchQueue queue(LoadedModel m, int width, BatchingSettings settings, DistributionSummary sizes) {
        return new BatchQueue(
                        "test",
                        m.network().clone(),
                        m.normalizer(),
                        width,
                        settings.forModel("test", 1),
                        60_000,
                        meters.timer("queue"),
                        meters.timer("forward"),
                        sizes,
                        InferenceTracing.OFF)
                .start();
    }

    @Test
    void coalescesConcurrentRequestsAndGivesEachItsOwnRows() throws Exception {
        LoadedModel mlp = ShippedModels.registry().defaultVersion("mnist-mlp");
        DistributionSummary sizes = meters.summary("sizes");
        BatchQueue batched = queue(mlp, 784, new BatchingSettings(64, Duration.ofMillis(300), 64), sizes);
        BatchQueue alone = queue(mlp, 784, new BatchingSettings(1, Duration.ZERO, 64), meters.summary("alone"));
        int n = 12;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<float[][]>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                float[] image = TestData.mnistTestImages().scaled(i);
                answers.add(pool.submit(() -> batched.run(image, 1)));
            }
            for (int i = 0; i < n; i++) {
                float[] expected = alone.run(TestData.mnistTestImages().scaled(i), 1)[0];
                float[] actual = answers.get(i).get()[0];
                for (int c = 0; c < 10; c++) {
                    assertThat(actual[c]).as("image %d class %d", i, c).isCloseTo(expected[c], Offset.offset(1e-5f));
                }
            }
        } finally {
            pool.shutdownNow();
            batched.closeWhenIdle();
            alone.closeWhenIdle();
        }
        assertThat(sizes.count()).as("forward passes").isLessThan(n);
        assertThat(sizes.max()).isGreaterThan(1);
        assertThat(sizes.totalAmount()).isEqualTo(n);
    }

    @Test
    void aFullQueueRefusesAtOnceAndTheQueuedRequestsStillComplete() throws Exception {
        LoadedModel generator = ShippedModels.registry().defaultVersion("mnist-dcgan");
        BatchQueue q = queue(generator, 100, new BatchingSettings(256, Duration.ZERO, 2), meters.summary("gen"));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            // One large batch keeps the single worker busy for seconds on 2 cores (512 of mnist-dcgan v2:
            // about 4 s alone; 1,024 passed the 60 s answer deadline once, with the other test fork busy).
            Future<float[][]> slow = pool.submit(() -> q.run(new float[512 * 100], 512));
            while (q.depth() > 0 || !started(q)) {
                Thread.sleep(5);
            }
            Future<float[][]> second = pool.submit(() -> q.run(new float[100], 1));
            Future<float[][]> third = pool.submit(() -> q.run(new float[100], 1));
            while (q.depth() < 2 && !slow.isDone()) {
                Thread.sleep(1);
            }
            assertThat(slow).as("the large batch is still running").isNotDone();
            assertThat(q.depth()).isEqualTo(2);
            assertThatThrownBy(() -> q.run(new float[100], 1))
                    .isInstanceOf(ServiceBusyException.class)
                    .hasMessageContaining("queue")
                    .hasMessageContaining("full");
            assertThat(slow.get()).hasNumberOfRows(512);
            assertThat(second.get()).hasNumberOfRows(1);
            assertThat(third.get()).hasNumberOfRows(1);
        } finally {
            pool.shutdownNow();
            q.closeWhenIdle();
        }
    }

    private boolean started(BatchQueue q) {
        return meters.find("queue").timer() != null
                && meters.find("queue").timer().count() > 0;
    }
}
