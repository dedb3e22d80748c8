package io.github.dl4jserving.inference.internal;

import io.github.dl4jserving.inference.BatchingSettings;
import io.github.dl4jserving.inference.ServiceBusyException;
import io.github.dl4jserving.platform.RequestStages;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.TraceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;

/**
 * Dynamic batching for one model version, in the manner of djl-serving's BatchAggregator: each
 * request's rows are queued as one job; a worker per network replica takes the oldest job and
 * adds whatever else is queued, up to {@code maxBatchSize} rows, waiting at most {@code maxDelay}
 * counted from the first job's arrival (not from when the worker looked), then runs one forward
 * pass and hands each job its own rows. With the default delay of 0 nothing waits: whatever is
 * already queued is batched. A full queue refuses at once.
 *
 * <p>Each worker keeps its input arrays (one per batch size it has seen, up to
 * {@code maxBatchSize} rows) and computes a network of dense layers with {@link DenseForward} into
 * arrays kept per batch size, any other network with DL4J's {@code output} in a workspace of its
 * own; so a forward pass allocates no native memory and few Java objects: the rows are copied into
 * the kept input, and the output is copied out before it is reused.
 */
final class BatchQueue {
    private final String label;
    /** The network the queue was made for; its first replica runs it. */
    private final MultiLayerNetwork network;

    private final int width;
    private final int maxBatchSize;
    private final long maxDelayNanos;
    private final long maxWaitMillis;
    private final DataNormalization normalizer;
    private final LinkedBlockingDeque<Job> queue;
    private final List<Thread> workers = new ArrayList<>();
    private final List<Replica> replicas = new ArrayList<>();
    private final Timer queueTime;
    private final Timer forwardTime;
    private final DistributionSummary batchSize;
    private final InferenceTracing tracing;
    private volatile boolean closing;

    BatchQueue(
            String label,
            MultiLayerNetwork network,
            DataNormalization normalizer,
            int width,
            BatchingSettings.Knobs settings,
            long maxWaitMillis,
            Timer queueTime,
            Timer forwardTime,
            DistributionSummary batchSize,
            InferenceTracing tracing) {
        this.label = label;
        this.network = network;
        this.tracing = tracing;
        this.width = width;
        this.normalizer = normalizer;
        this.maxBatchSize = settings.maxBatchSize();
        this.maxDelayNanos = settings.maxDelay().toNanos();
        this.maxWaitMillis = maxWaitMillis;
        this.queue = new LinkedBlockingDeque<>(settings.queueCapacity());
        this.queueTime = queueTime;
        this.forwardTime = forwardTime;
        this.batchSize = batchSize;
        for (int i = 0; i < settings.workers(); i++) {
            Replica replica = new Replica(
                    i == 0 ? network : network.clone(), "batch-out-" + label + "-" + i, width, maxBatchSize);
            replicas.add(replica);
            Thread worker = new Thread(() -> work(replica), "batch-" + label + "-" + i);
            worker.setDaemon(true);
            this.workers.add(worker);
        }
    }

    /** Starts the workers; returns this queue. */
    BatchQueue start() {
        workers.forEach(Thread::start);
        return this;
    }

    /** Requests (not rows) waiting for a worker. */
    int depth() {
        return queue.size();
    }

    /** Runs {@code rows} rows of {@code width} values, given row by row in {@code flat}. */
    float[][] run(float[] flat, int rows) {
        Job job = new Job(flat, rows, System.nanoTime(), tracing.capture(), new CompletableFuture<>());
        if (closing || !queue.offer(job)) {
            throw new ServiceBusyException("The request queue of " + label + " is full. Retry shortly.");
        }
        try {
            Answer answer = job.result().get(maxWaitMillis, TimeUnit.MILLISECONDS);
            RequestStages.batch(job.arrival(), answer.batchRows(), answer.start(), answer.forwarded());
            return answer.rows();
        } catch (TimeoutException e) {
            job.result().cancel(false);
            throw new ServiceBusyException(label + " did not answer within " + maxWaitMillis + " ms. Retry shortly.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceBusyException("Interrupted while waiting for " + label);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private void work(Replica replica) {
        try {
            serve(replica);
        } finally {
            replica.close();
        }
    }

    private void serve(Replica replica) {
        List<Job> batch = new ArrayList<>();
        while (!closing || !queue.isEmpty()) {
            try {
                Job first = queue.pollFirst(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                collect(batch, first);
                runBatch(replica, batch);
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException | Error e) {
                batch.forEach(j -> j.result().completeExceptionally(e));
            }
        }
    }

    /** Adds queued jobs while they fit, waiting until {@code maxDelay} after the first job arrived. */
    private void collect(List<Job> batch, Job first) throws InterruptedException {
        int rows = first.rows();
        long deadline = first.arrival() + maxDelayNanos;
        while (rows < maxBatchSize) {
            long wait = deadline - System.nanoTime();
            Job next = wait > 0 ? queue.pollFirst(wait, TimeUnit.NANOSECONDS) : queue.pollFirst();
            if (next == null) {
                return;
            }
            if (rows + next.rows() > maxBatchSize) {
                if (!queue.offerFirst(next)) {
                    batch.add(next); // no room to put it back: it runs with this batch
                }
                return;
            }
            batch.add(next);
            rows += next.rows();
        }
    }

    private void runBatch(Replica replica, List<Job> batch) {
        long start = System.nanoTime();
        int rows = 0;
        for (Job j : batch) {
            queueTime.record(start - j.arrival(), TimeUnit.NANOSECONDS);
            rows += j.rows();
        }
        batchSize.record(rows);
        INDArray in = replica.input(rows);
        try {
            FloatPointer target = (FloatPointer) in.data().addressPointer();
            long offset = 0;
            for (Job j : batch) {
                target.position(offset).put(j.flat(), 0, j.rows() * width);
                offset += (long) j.rows() * width;
            }
            target.position(0);
            if (normalizer != null) {
                normalizer.transform(in);
            }
            int batchRows = rows;
            replica.forward(in, rows, result -> answer(batch, result, batchRows, start));
        } finally {
            replica.release(in, rows);
            long end = System.nanoTime();
            forwardTime.record(end - start, TimeUnit.NANOSECONDS);
            traceBatch(batch, start, end);
        }
    }

    private void answer(List<Job> batch, INDArray result, int rows, long start) {
        if (normalizer != null && normalizer.isFitLabel()) {
            normalizer.revertLabels(result); // a regressor trained on standardized targets
        }
        hand(batch, result, rows, start, System.nanoTime());
    }

    private void traceBatch(List<Job> batch, long start, long end) {
        boolean sampled = false;
        for (Job j : batch) {
            sampled |= j.trace() != null;
        }
        if (sampled) {
            tracing.batch(
                    label,
                    batch.stream()
                            .map(j -> new InferenceTracing.Traced(j.trace(), j.arrival(), j.rows()))
                            .toList(),
                    start,
                    end);
        }
    }

    /**
     * Copies each job's output rows out of the workspace into arrays of its own, and completes it
     * with them and the times its forward pass started and ended.
     */
    private static void hand(List<Job> batch, INDArray result, int rows, long start, long forwarded) {
        int outWidth = (int) (result.length() / rows);
        INDArray contiguous = result.ordering() == 'c' && !result.isView() ? result : result.dup('c');
        FloatPointer source = (FloatPointer) contiguous.data().addressPointer();
        long offset = 0;
        for (Job j : batch) {
            float[][] mine = new float[j.rows()][];
            for (int r = 0; r < j.rows(); r++) {
                mine[r] = new float[outWidth];
                source.position(offset).get(mine[r], 0, outWidth);
                offset += outWidth;
            }
            j.result().complete(new Answer(mine, rows, start, forwarded));
        }
        source.position(0);
    }

    /** Refuses new work, lets the workers finish what is queued, then closes the replicas. */
    /** The network the queue was made for. */
    MultiLayerNetwork network() {
        return network;
    }

    void closeWhenIdle() {
        closing = true;
        for (Thread worker : workers) {
            try {
                worker.join(TimeUnit.MINUTES.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        replicas.forEach(r -> r.net.close());
    }

    private record Job(float[] flat, int rows, long arrival, TraceContext trace, CompletableFuture<Answer> result) {}

    /**
     * A job's output rows, the rows of its batch, and when the batch's forward pass started and ended
     * ({@link System#nanoTime}).
     */
    private record Answer(float[][] rows, int batchRows, long start, long forwarded) {}
}
