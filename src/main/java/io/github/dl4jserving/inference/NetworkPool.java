package io.github.dl4jserving.inference;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Replicas of one network version, each used by one thread at a time. Requests to different
 * versions never wait for each other, and up to {@code size} requests to the same version run at
 * once.
 */
final class NetworkPool {
    private final String label;
    private final BlockingQueue<MultiLayerNetwork> idle;
    private final long maxWaitMillis;

    NetworkPool(String label, MultiLayerNetwork network, int size, long maxWaitMillis) {
        this.label = label;
        this.maxWaitMillis = maxWaitMillis;
        this.idle = new ArrayBlockingQueue<>(Math.max(1, size));
        idle.add(network);
        for (int i = 1; i < size; i++) {
            idle.add(network.clone());
        }
    }

    <T> T run(Function<MultiLayerNetwork, T> work) {
        MultiLayerNetwork net;
        try {
            net = idle.poll(maxWaitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceBusyException("Interrupted while waiting for " + label);
        }
        if (net == null) {
            throw new ServiceBusyException("All replicas of " + label + " stayed busy for " + maxWaitMillis
                    + " ms. Retry shortly.");
        }
        try {
            return work.apply(net);
        } finally {
            idle.add(net);
        }
    }
}
