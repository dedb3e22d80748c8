package io.github.dl4jserving.inference;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code dl4j-serving.batching.*}: how concurrent requests to one model version are coalesced.
 * The top-level values apply to every model; {@code dl4j-serving.batching.models.<name>.*} overrides
 * any of them for one model, for example {@code dl4j-serving.batching.models.mnist-dcgan.max-batch-size=16}.
 *
 * @param maxBatchSize  the most rows (images, table rows, latent vectors) in one forward pass; a
 *                      single request larger than this runs alone
 * @param maxDelay      how long a batch may wait for more requests, counted from the arrival of its
 *                      first request; 0 (the default, as in Triton) batches only what is already queued
 * @param queueCapacity requests that may wait per version; beyond it requests get 503 at once
 * @param workers       network replicas per loaded version, each with its own batching worker (1 when
 *                      unset, or the deprecated {@code dl4j-serving.workers-per-model} if that is set)
 * @param maxWait       how long a request waits for its batch's answer before it gets 503
 * @param models        per-model overrides, by model name
 */
@ConfigurationProperties("dl4j-serving.batching")
public record BatchingSettings(
        @DefaultValue("64") int maxBatchSize,
        @DefaultValue("0ms") Duration maxDelay,
        @DefaultValue("256") int queueCapacity,
        Integer workers,
        Map<String, ModelBatching> models,
        @DefaultValue("30s") Duration maxWait) {
    /** Replicas per version when neither setting names a number. */
    static final int DEFAULT_WORKERS = 1;

    @ConstructorBinding
    public BatchingSettings {
        models = models == null ? Map.of() : Map.copyOf(models);
        maxWait = maxWait == null ? Duration.ofSeconds(30) : maxWait;
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("dl4j-serving.batching.max-wait must be positive, not " + maxWait);
        }
        check("dl4j-serving.batching", maxBatchSize, maxDelay, queueCapacity, workers);
        models.forEach((name, m) -> check(
                "dl4j-serving.batching.models." + name,
                m.maxBatchSize(),
                m.maxDelay(),
                m.queueCapacity(),
                m.workers()));
    }

    /** The global knobs only, with the default replica count and wait. */
    public BatchingSettings(int maxBatchSize, Duration maxDelay, int queueCapacity) {
        this(maxBatchSize, maxDelay, queueCapacity, null, Map.of(), null);
    }

    /** One model's overrides; an unset value falls back to the global one. */
    public record ModelBatching(Integer maxBatchSize, Duration maxDelay, Integer queueCapacity, Integer workers) {}

    /** The knobs in force for one model. */
    public record Knobs(int maxBatchSize, Duration maxDelay, int queueCapacity, int workers) {}

    /**
     * The knobs for {@code name}; {@code aliasWorkers} is the deprecated {@code workers-per-model},
     * null when unset.
     */
    public Knobs forModel(String name, Integer aliasWorkers) {
        ModelBatching m = models.getOrDefault(name, new ModelBatching(null, null, null, null));
        return new Knobs(
                m.maxBatchSize() != null ? m.maxBatchSize() : maxBatchSize,
                m.maxDelay() != null ? m.maxDelay() : maxDelay,
                m.queueCapacity() != null ? m.queueCapacity() : queueCapacity,
                m.workers() != null
                        ? m.workers()
                        : workers != null ? workers : aliasWorkers != null ? aliasWorkers : DEFAULT_WORKERS);
    }

    private static void check(
            String prefix, Integer maxBatchSize, Duration maxDelay, Integer queueCapacity, Integer workers) {
        if (maxBatchSize != null && maxBatchSize < 1) {
            throw new IllegalArgumentException(prefix + ".max-batch-size must be at least 1, not " + maxBatchSize);
        }
        if (maxDelay != null && maxDelay.isNegative()) {
            throw new IllegalArgumentException(prefix + ".max-delay must not be negative, not " + maxDelay);
        }
        if (queueCapacity != null && queueCapacity < 1) {
            throw new IllegalArgumentException(prefix + ".queue-capacity must be at least 1, not " + queueCapacity);
        }
        if (workers != null && (workers < 1 || workers > 64)) {
            throw new IllegalArgumentException(prefix + ".workers must be between 1 and 64, not " + workers);
        }
    }
}
