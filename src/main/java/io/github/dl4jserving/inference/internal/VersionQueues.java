package io.github.dl4jserving.inference.internal;

import io.github.dl4jserving.inference.BatchingSettings;
import io.github.dl4jserving.inference.NonFiniteOutputException;
import io.github.dl4jserving.registry.LoadedModel;
import io.github.dl4jserving.registry.ModelLease;
import io.github.dl4jserving.registry.ModelNotFoundException;
import io.github.dl4jserving.registry.ModelRegistry;
import io.github.dl4jserving.registry.RegistryEvent;
import io.github.dl4jserving.registry.VersionId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch queue per loaded version, made on first use, and the registry's events turned into
 * work on a thread of its own: a new default is warmed up, a deleted version stops taking requests,
 * and a network no request uses any more (unloaded, evicted or deleted) is released with its queue.
 * Nothing here runs on the thread that changed the registry, so a training job's publish returns
 * without waiting for a forward pass.
 */
public final class VersionQueues implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VersionQueues.class);

    private final ModelRegistry registry;
    private final BatchingSettings batching;
    private final Integer aliasWorkers;
    private final InferenceMetrics metrics;
    private final InferenceTracing tracing;
    private final Map<VersionId, BatchQueue> queues = new ConcurrentHashMap<>();
    private final Set<VersionId> warm = ConcurrentHashMap.newKeySet();
    private final Set<VersionId> retired = ConcurrentHashMap.newKeySet();
    private final ExecutorService lifecycle = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "model-lifecycle");
        t.setDaemon(true);
        return t;
    });

    public VersionQueues(
            ModelRegistry registry,
            BatchingSettings batching,
            Integer aliasWorkers,
            InferenceMetrics metrics,
            InferenceTracing tracing) {
        this.registry = registry;
        this.tracing = tracing;
        this.batching = batching;
        this.aliasWorkers = aliasWorkers;
        this.metrics = metrics;
    }

    /**
     * Warms the default of every model loaded now, on the caller's thread: the service starts it
     * before the web server opens, so the first request never pays for a cold network.
     */
    public void warmUpDefaults() {
        registry.names().forEach(this::warmUpDefault);
    }

    /** Takes a registry event and hands its work to the lifecycle thread. */
    public void on(RegistryEvent event) {
        if (event instanceof RegistryEvent.ModelVersionRetired gone) {
            // Marked at once, so no new request joins the queue; the release waits for its leases.
            retired.add(gone.id());
            lifecycle.execute(() -> {
                warm.remove(gone.id());
                metrics.retire(gone.name(), Integer.toString(gone.id().version()));
            });
        } else if (event instanceof RegistryEvent.ModelVersionEvicted evicted) {
            lifecycle.execute(() -> warm.remove(evicted.id()));
        } else if (event instanceof RegistryEvent.ModelVersionUnloaded idle) {
            lifecycle.execute(() -> release(idle.id()));
        } else if (event instanceof RegistryEvent.ModelVersionLoaded
                || event instanceof RegistryEvent.DefaultVersionChanged) {
            lifecycle.execute(() -> warmUpDefault(event.name()));
        }
    }

    /** Warms the default of {@code name} if it is in memory; a version not loaded is not loaded for it. */
    private void warmUpDefault(String name) {
        try {
            Optional<ModelLease> lease = registry.leaseIfLoaded(name, null);
            if (lease.isPresent()) {
                try (ModelLease held = lease.get()) {
                    warmUp(held.model());
                }
            }
        } catch (RuntimeException e) {
            log.warn("Warm-up of the default of {} failed: {}", name, e.toString());
        }
    }

    /**
     * Runs one dummy batch of the declared input shape, so the first user request does not pay for
     * workspace allocation and JIT warm-up. Idempotent.
     */
    public void warmUp(LoadedModel m) {
        if (warm.contains(m.id())) {
            return;
        }
        run(m, new float[2 * ModelContract.inputWidth(m.descriptor().input())], 2);
        warm.add(m.id());
    }

    /**
     * What a loaded version holds in memory once it serves: per batch worker, a replica's parameters
     * and the working memory of one full batch, by DL4J's memory report for the declared input
     * width; the parameters alone, per worker, for a network the report cannot follow.
     */
    long footprint(LoadedModel m) {
        BatchingSettings.Knobs knobs = batching.forModel(m.name(), aliasWorkers);
        long perWorker;
        try {
            perWorker = m.network()
                    .getLayerWiseConfigurations()
                    .getMemoryReport(InputType.feedForward(
                            ModelContract.networkWidth(m.descriptor().input())))
                    .getTotalMemoryBytes(
                            knobs.maxBatchSize(),
                            MemoryUseMode.INFERENCE,
                            CacheMode.NONE,
                            m.network().params().dataType());
        } catch (RuntimeException e) {
            log.debug("No memory report for {}: {}", m.id(), e.toString());
            perWorker = ModelRegistry.parameterBytes(m);
        }
        return knobs.workers() * Math.max(perWorker, ModelRegistry.parameterBytes(m));
    }

    public boolean isWarm(String name, int version) {
        return warm.contains(new VersionId(name, version));
    }

    /**
     * Frees the networks of {@code id} that no request uses any more, with their queues' replicas.
     * Called from the lifecycle thread, or by a request that finds the queue of an older load of
     * the version still in place: whoever takes a network from the registry frees it.
     */
    private void release(VersionId id) {
        for (LoadedModel gone : registry.takeRetired(id)) {
            BatchQueue queue = queues.get(id);
            if (queue != null && queue.network() == gone.network()) {
                metrics.dropQueueDepth(id.name(), Integer.toString(id.version()));
                queues.remove(id, queue);
                // Joins the queue's idle workers, which close the replicas: a thread of its own, so
                // warm-ups behind it do not wait.
                Thread closer = new Thread(queue::closeWhenIdle, "release-" + id);
                closer.setDaemon(true);
                closer.start();
            } else {
                gone.network().close();
            }
        }
    }

    /**
     * Runs {@code rows} inputs, flat and row by row, through the version's batch queue. An output that
     * is not a finite number is refused and counted, never handed on as an answer.
     */
    public float[][] run(LoadedModel m, float[] flat, int rows) {
        if (retired.contains(m.id())) {
            throw new ModelNotFoundException("Version " + m.version() + " of '" + m.name() + "' was just deleted.");
        }
        Integer degree = m.descriptor().input().polynomialDegree();
        float[] input = degree == null ? flat : ModelContract.polynomial(flat, degree);
        BatchQueue queue = queueOf(m);
        float[][] out = queue.run(input, rows);
        for (float[] row : out) {
            for (float v : row) {
                if (!Float.isFinite(v)) {
                    metrics.nonFiniteOutput(m.name(), Integer.toString(m.version()));
                    throw new NonFiniteOutputException(m.name(), m.version());
                }
            }
        }
        if (!warm.contains(m.id())) {
            warm.add(m.id()); // a version loaded by a request is as warm as a warmed-up one after it
        }
        return out;
    }

    /** The queue of {@code m}'s network, made on first use; an older load's queue is released first. */
    private BatchQueue queueOf(LoadedModel m) {
        while (true) {
            BatchQueue queue = queues.computeIfAbsent(m.id(), id -> newQueue(m));
            if (queue.network() == m.network()) {
                return queue;
            }
            // The version was unloaded and loaded again before its old network was released: the
            // caller holds a lease on the new one, so no request uses the old one.
            release(m.id());
            Thread.onSpinWait();
        }
    }

    private BatchQueue newQueue(LoadedModel m) {
        String v = Integer.toString(m.version());
        BatchQueue q = new BatchQueue(
                m.id().toString(),
                m.network(),
                m.normalizer(),
                ModelContract.networkWidth(m.descriptor().input()),
                batching.forModel(m.name(), aliasWorkers),
                batching.maxWait().toMillis(),
                metrics.queue(m.name(), v),
                metrics.forward(m.name(), v),
                metrics.batchSize(m.name(), v),
                tracing);
        metrics.queueDepth(m.name(), v, q, BatchQueue::depth);
        return q.start();
    }

    @Override
    public void close() {
        lifecycle.shutdownNow();
    }
}
