package io.github.dl4jserving.inference;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import io.micrometer.core.instrument.Timer;

/**
 * Replicas of one network version, each used by one thread at a time. Requests to different
 * versions never wait for each other, and up to {@code size} requests to the same version run at
 * once.
 */
final class NetworkPool {
    private final String label;
    private final BlockingQueue<MultiLayerNetwork> idle;
    private final long maxWaitMillis;
    private final AtomicInteger waiting = new AtomicInteger();
    private final int size;
    private final Timer queueTime;
    private final Timer forwardTime;

    NetworkPool(String label, MultiLayerNetwork network, int size, long maxWaitMillis, Timer queueTime,
            Timer forwardTime) {
        this.label = label;
        this.maxWaitMillis = maxWaitMillis;
        this.queueTime = queueTime;
        this.forwardTime = forwardTime;
        this.size = Math.max(1, size);
        this.idle = new ArrayBlockingQueue<>(this.size);
        idle.add(network);
        for (int i = 1; i < size; i++) {
            idle.add(network.clone());
        }
    }

    /**
     * Waits until every replica is back (in-flight batches done, up to a minute), then closes them
     * all, releasing their native memory. The pool must already be unreachable for new requests.
     */
    void closeWhenIdle() {
        int closed = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (closed < size && System.nanoTime() < deadline) {
            try {
                MultiLayerNetwork net = idle.poll(1, TimeUnit.SECONDS);
                if (net != null) {
                    net.close();
                    closed++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Batches waiting for a replica right now. */
    int waiting() {
        return waiting.get();
    }

    <T> T run(Function<MultiLayerNetwork, T> work) {
        MultiLayerNetwork net;
        long start = System.nanoTime();
        waiting.incrementAndGet();
        try {
            net = idle.poll(maxWaitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceBusyException("Interrupted while waiting for " + label);
        } finally {
            waiting.decrementAndGet();
            queueTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        if (net == null) {
            throw new ServiceBusyException("All replicas of " + label + " stayed busy for " + maxWaitMillis
                    + " ms. Retry shortly.");
        }
        long forwardStart = System.nanoTime();
        try {
            return work.apply(net);
        } finally {
            forwardTime.record(System.nanoTime() - forwardStart, TimeUnit.NANOSECONDS);
            idle.add(net);
        }
    }
}
