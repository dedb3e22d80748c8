package io.github.dl4jserving.inference.internal;

import io.github.dl4jserving.inference.BatchingSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelInference;
import org.deeplearning4j.parallelism.inference.InferenceMode;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-process ceiling for the HTTP numbers in {@code docs/performance.md}, on the shipped
 * {@code mnist-mlp} (784-500-500-10), and the build-or-reuse comparison issue 4 asks for: 16
 * threads each sending one image at a time, coalesced either by the service's {@link BatchQueue}
 * or by DL4J's {@link ParallelInference} in {@code BATCHED} mode with the same batch limit, queue
 * and worker count. Run with {@code bench/jmh.sh}.
 */
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class ForwardPassBenchmark {
    private static final int WIDTH = 784;
    private static final int WORKERS = 1;
    private static final int MAX_BATCH = 64;
    private static final int QUEUE = 256;

    static MultiLayerNetwork shippedMlp() {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new File("models/mnist-mlp/1/model.zip"), false);
        } catch (IOException e) {
            throw new IllegalStateException("Run from the project root: models/mnist-mlp/1/model.zip", e);
        }
    }

    static float[] randomImages(int rows, long seed) {
        Random random = new Random(seed);
        float[] flat = new float[rows * WIDTH];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = random.nextFloat();
        }
        return flat;
    }

    /**
     * One forward pass of a whole batch on one thread: what a batch costs the network itself, with
     * one ND4J thread per operation as the service runs it.
     */
    @State(Scope.Thread)
    public static class Direct {
        @Param({"1", "8", "32", "512"})
        int batch;

        MultiLayerNetwork net;
        DenseForward dense;
        INDArray input;

        @Setup
        public void load() {
            Nd4j.getEnvironment().setMaxThreads(1);
            Nd4j.getEnvironment().setMaxMasterThreads(1);
            Nd4j.factory().blas().setMaxThreads(1);
            net = shippedMlp();
            dense = DenseForward.of(net, batch);
            input = Nd4j.create(randomImages(batch, 1), new long[] {batch, WIDTH}, DataType.FLOAT);
        }

        @TearDown
        public void close() {
            dense.close();
            net.close();
        }
    }

    /** DL4J's own forward pass. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float forwardPass(Direct s) {
        try (INDArray out = s.net.output(s.input, false)) {
            return out.getFloat(0);
        }
    }

    /** The service's pass for dense networks: row by row up to 8 rows, one matrix product above. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float densePass(Direct s) {
        return s.dense.output(s.input, s.batch).getFloat(0);
    }

    /** The service's own queue, exactly as InferenceService builds it with the default knobs. */
    @State(Scope.Benchmark)
    public static class Queue {
        BatchQueue queue;
        SimpleMeterRegistry meters = new SimpleMeterRegistry();

        @Setup(Level.Trial)
        public void start() {
            queue = new BatchQueue(
                            "bench",
                            shippedMlp(),
                            null,
                            WIDTH,
                            new BatchingSettings.Knobs(MAX_BATCH, Duration.ZERO, QUEUE, WORKERS),
                            60_000,
                            meters.timer("queue"),
                            meters.timer("forward"),
                            meters.summary("batch"),
                            InferenceTracing.OFF)
                    .start();
        }

        @TearDown(Level.Trial)
        public void stop() {
            var sizes = meters.summary("batch");
            System.out.printf(
                    "%nBatchQueue: %d forward passes, %.2f images each on average, at most %.0f%n",
                    sizes.count(), sizes.mean(), sizes.max());
            queue.closeWhenIdle();
        }
    }

    /** DL4J's ParallelInference, BATCHED, with the same limits. */
    @State(Scope.Benchmark)
    public static class Parallel {
        ParallelInference inference;

        @Setup(Level.Trial)
        public void start() {
            inference = new ParallelInference.Builder(shippedMlp())
                    .inferenceMode(InferenceMode.BATCHED)
                    .batchLimit(MAX_BATCH)
                    .queueLimit(QUEUE)
                    .workers(WORKERS)
                    .build();
        }

        @TearDown(Level.Trial)
        public void stop() {
            inference.shutdown();
        }
    }

    /** Each thread's own image, as each HTTP request carries its own. */
    @State(Scope.Thread)
    public static class Image {
        float[] flat = randomImages(1, Thread.currentThread().getId());
        INDArray row = Nd4j.create(flat, new long[] {1, WIDTH}, DataType.FLOAT);
    }

    @Benchmark
    @Threads(16)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public float[][] batchQueue16Threads(Queue q, Image image) {
        return q.queue.run(image.flat, 1);
    }

    @Benchmark
    @Threads(16)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public float[] parallelInference16Threads(Parallel p, Image image) {
        return p.inference.output(image.row).toFloatVector();
    }
}
