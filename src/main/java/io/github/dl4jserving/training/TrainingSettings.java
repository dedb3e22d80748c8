package io.github.dl4jserving.training;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code dl4j-serving.training.*}: how many jobs run at once, how many may wait, and how long
 * their event streams stay open.
 *
 * @param concurrency     jobs running at the same time; each trains on one thread of its own
 * @param queueCapacity   jobs that may wait; beyond it {@code POST /jobs} answers 429
 * @param shutdownTimeout how long shutdown waits for running jobs to stop and be marked
 * @param eventsTimeout   how long one {@code GET /jobs/{id}/events} stream may stay open; a client that
 *                        follows a longer job reconnects
 * @param trainerUrl      on every replica but the trainer: the trainer's address, such as
 *                        {@code http://dl4j-serving-trainer:8080}. Training requests are forwarded there,
 *                        and this replica keeps no job records of its own. Empty: this replica trains.
 */
@ConfigurationProperties("dl4j-serving.training")
public record TrainingSettings(
        @DefaultValue("1") int concurrency,
        @DefaultValue("4") int queueCapacity,
        @DefaultValue("20s") Duration shutdownTimeout,
        @DefaultValue("6h") Duration eventsTimeout,
        String trainerUrl) {

    /** Whether another replica trains, and this one forwards training requests to it. */
    public boolean forwardsTraining() {
        return trainerUrl != null && !trainerUrl.isBlank();
    }

    public TrainingSettings {
        eventsTimeout = eventsTimeout == null ? Duration.ofHours(6) : eventsTimeout;
        if (concurrency < 1 || concurrency > 16) {
            throw new IllegalArgumentException("dl4j-serving.training.concurrency must be 1-16, not " + concurrency);
        }
        if (queueCapacity < 0) {
            throw new IllegalArgumentException(
                    "dl4j-serving.training.queue-capacity must be >= 0, not " + queueCapacity);
        }
    }
}
