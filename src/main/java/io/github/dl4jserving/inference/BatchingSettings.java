package io.github.dl4jserving.inference;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code dl4j-serving.batching.*}: how concurrent requests to one model version are coalesced.
 *
 * @param maxBatchSize  the most rows (images, table rows, latent vectors) in one forward pass; a
 *                      single request larger than this runs alone
 * @param maxDelay      how long a batch may wait for more requests, counted from the arrival of its
 *                      first request; 0 (the default, as in Triton) batches only what is already queued
 * @param queueCapacity requests that may wait per version; beyond it requests get 503 at once
 */
@ConfigurationProperties("dl4j-serving.batching")
public record BatchingSettings(
        @DefaultValue("64") int maxBatchSize,
        @DefaultValue("0ms") Duration maxDelay,
        @DefaultValue("256") int queueCapacity) {
}
