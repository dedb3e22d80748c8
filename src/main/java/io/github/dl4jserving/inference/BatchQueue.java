package io.github.dl4jserving.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.factory.Nd4j;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;

/**
 * Dynamic batching for one model version, in the manner of djl-serving's BatchAggregator: each
 * request's rows are queued as one job; a worker per network replica takes the oldest job and
 * adds whatever else is queued, up to {@code maxBatchSize} rows, waiting at most {@code maxDelay}
 * counted from the first job's arrival (not from when the worker looked), then runs one forward
 * pass and hands each job its own rows. With the default delay of 0 nothing waits: whatever is
 * already queued is batched. A full queue refuses at once.
 */
final class BatchQueue {
    private final String label;
    private final int width;
    private final int maxBatchSize;
    private final long maxDelayNanos;
    private final long maxWaitMillis;
    private final DataNormalization normalizer;
    private final LinkedBlockingDeque<Job> queue;
    private final List<Thread> workers = new ArrayList<>();
    private final List<MultiLayerNetwork> replicas = new ArrayList<>();
    private final Timer queueTime;
    private final Timer forwardTime;
    private final DistributionSummary batchSize;
    private volatile boolean closing;

    BatchQueue(String label, MultiLayerNetwork network, DataNormalization normalizer, int width,
            BatchingSettings.Knobs settings, long maxWaitMillis, Timer queueTime, Timer forwardTime,
            DistributionSummary batchSize) {
        this.label = label;
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
            MultiLayerNetwork replica = i == 0 ? network : network.clone();
            replicas.add(replica);
            Thread worker = new Thread(() -> work(replica), "batch-" + label + "-" + i);
            worker.setDaemon(true);
            this.workers.add(worker);
            worker.start();
        }
    }

    /** Requests (not rows) waiting for a worker. */
    int depth() {
        return queue.size();
    }

    /** Runs {@code rows} rows of {@code width} values, given row by row in {@code flat}. */
    float[][] run(float[] flat, int rows) {
        Job job = new Job(flat, rows, System.nanoTime(), new CompletableFuture<>());
        if (closing || !queue.offer(job)) {
            throw new ServiceBusyException("The request queue of " + label + " is full. Retry shortly.");
        }
        try {
            return job.result().get(maxWaitMillis, TimeUnit.MILLISECONDS);
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

    private void work(MultiLayerNetwork net) {
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
                runBatch(net, batch);
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

    private void runBatch(MultiLayerNetwork net, List<Job> batch) {
        long start = System.nanoTime();
        int rows = 0;
        for (Job j : batch) {
            queueTime.record(start - j.arrival(), TimeUnit.NANOSECONDS);
            rows += j.rows();
        }
        float[] flat = new float[rows * width];
        int offset = 0;
        for (Job j : batch) {
            System.arraycopy(j.flat(), 0, flat, offset, j.rows() * width);
            offset += j.rows() * width;
        }
        batchSize.record(rows);
        float[][] out;
        try (INDArray in = Nd4j.create(flat, new long[] {rows, width}, DataType.FLOAT)) {
            if (normalizer != null) {
                normalizer.transform(in);
            }
            try (INDArray result = net.output(in, false)) {
                if (normalizer != null && normalizer.isFitLabel()) {
                    normalizer.revertLabels(result); // a regressor trained on standardized targets
                }
                out = result.reshape(result.size(0), result.length() / result.size(0)).toFloatMatrix();
            }
        } finally {
            forwardTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        int row = 0;
        for (Job j : batch) {
            float[][] mine = new float[j.rows()][];
            System.arraycopy(out, row, mine, 0, j.rows());
            row += j.rows();
            j.result().complete(mine);
        }
    }

    /** Refuses new work, lets the workers finish what is queued, then closes the replicas. */
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
        replicas.forEach(MultiLayerNetwork::close);
    }

    private record Job(float[] flat, int rows, long arrival, CompletableFuture<float[][]> result) {
    }
}
