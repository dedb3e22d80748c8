package io.github.dl4jserving.inference.internal;

import io.github.dl4jserving.inference.BatchingSettings;
import io.github.dl4jserving.inference.NonFiniteOutputException;
import io.github.dl4jserving.registry.LoadedModel;
import io.github.dl4jserving.registry.ModelNotFoundException;
import io.github.dl4jserving.registry.ModelRegistry;
import io.github.dl4jserving.registry.RegistryEvent;
import io.github.dl4jserving.registry.VersionId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch queue per serving version, made on first use, and the registry's events turned into
 * work on a thread of its own: a new default is warmed up, a retired version stops taking requests
 * and releases its network once its in-flight batches end. Nothing here runs on the thread that
 * changed the registry, so a training job's publish returns without waiting for a forward pass.
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
            // Marked at once, so no new request joins the queue; the release waits for its batches.
            retired.add(gone.id());
            lifecycle.execute(() -> retire(gone.id()));
        } else if (event instanceof RegistryEvent.ModelVersionLoaded
                || event instanceof RegistryEvent.DefaultVersionChanged) {
            lifecycle.execute(() -> warmUpDefault(event.name()));
        }
    }

    private void warmUpDefault(String name) {
        try {
            LoadedModel m = registry.defaultVersion(name);
            warmUp(m);
        } catch (RuntimeException e) {
            log.warn("Warm-up of the default of {} failed: {}", name, e.toString());
        }
    }

    /**
     * Runs one dummy batch of the declared input shape, so the first user request does not pay for
     * workspace allocation and JIT warm-up. Idempotent.
     */
    void warmUp(LoadedModel m) {
        if (warm.contains(m.id())) {
            return;
        }
        run(m, new float[2 * ModelContract.inputWidth(m.descriptor().input())], 2);
        warm.add(m.id());
    }

    public boolean isWarm(String name, int version) {
        return warm.contains(new VersionId(name, version));
    }

    /** Stops serving a removed version and frees its replicas once their in-flight batches end. */
    private void retire(VersionId id) {
        warm.remove(id);
        BatchQueue queue = queues.remove(id);
        metrics.retire(id.name(), Integer.toString(id.version()));
        List<LoadedModel> gone = registry.takeRetired(id);
        if (queue != null) {
            // Joins the queue's workers, which close the network: a thread of its own, so warm-ups
            // behind it do not wait.
            Thread closer = new Thread(queue::closeWhenIdle, "retire-" + id);
            closer.setDaemon(true);
            closer.start();
        } else {
            gone.forEach(m -> m.network().close());
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
        BatchQueue queue = queues.computeIfAbsent(m.id(), id -> {
            String v = Integer.toString(m.version());
            BatchQueue q = new BatchQueue(
                    id.toString(),
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
        });
        float[][] out = queue.run(input, rows);
        for (float[] row : out) {
            for (float v : row) {
                if (!Float.isFinite(v)) {
                    metrics.nonFiniteOutput(m.name(), Integer.toString(m.version()));
                    throw new NonFiniteOutputException(m.name(), m.version());
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        lifecycle.shutdownNow();
    }
}
