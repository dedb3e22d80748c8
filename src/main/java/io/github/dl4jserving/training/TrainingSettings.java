package io.github.dl4jserving.training;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code dl4j-serving.training.*}: how many jobs run at once, how many may wait, and how long
 * their event streams stay open.
 *
 * @param concurrency     jobs running at the same time; each trains on one thread of its own
 * @param queueCapacity   jobs that may wait; beyond it {@code POST /jobs} answers 429. Ten, so a
 *                        comparison of all ten optimizers fits behind a running job
 * @param shutdownTimeout how long shutdown waits for running jobs to stop and be marked
 * @param eventsTimeout   how long one {@code GET /jobs/{id}/events} stream may stay open; a client that
 *                        follows a longer job reconnects
 * @param trainerUrl      on every replica but the trainer: the trainer's address, such as
 *                        {@code http://dl4j-serving-trainer:8080}. Training requests are forwarded there,
 *                        and this replica keeps no job records of its own. Empty: this replica trains.
 * @param eventsIdleTimeout how long an event stream may go without an event before it is closed (the
 *                        client reconnects); a stream open on a queued job holds a connection for nothing
 * @param retention       how many finished jobs, and for how long, keep their records and files
 */
@ConfigurationProperties("dl4j-serving.training")
public record TrainingSettings(
        @DefaultValue("1") int concurrency,
        @DefaultValue("10") int queueCapacity,
        @DefaultValue("20s") Duration shutdownTimeout,
        @DefaultValue("6h") Duration eventsTimeout,
        String trainerUrl,
        @DefaultValue("10m") Duration eventsIdleTimeout,
        @DefaultValue Retention retention) {

    /**
     * {@code dl4j-serving.training.retention.*}: finished jobs beyond {@code maxFinishedJobs}, or that
     * finished longer than {@code maxAge} ago, are deleted with their files, oldest first; of those
     * kept, only the newest {@code keepCheckpoints} keep their checkpoints (about 55 MB for a GAN job),
     * which {@code resumeFrom} needs. Running and queued jobs are never touched.
     */
    public record Retention(
            @DefaultValue("200") int maxFinishedJobs,
            @DefaultValue("30d") Duration maxAge,
            @DefaultValue("3") int keepCheckpoints) {
        public static final Retention DEFAULTS = new Retention(200, Duration.ofDays(30), 3);

        public Retention {
            if (maxFinishedJobs < 1 || keepCheckpoints < 0 || maxAge == null || maxAge.isNegative()) {
                throw new IllegalArgumentException("dl4j-serving.training.retention needs max-finished-jobs >= 1, "
                        + "keep-checkpoints >= 0 and a positive max-age");
            }
        }
    }

    /** The settings of a replica that trains, with the default retention. */
    public TrainingSettings(
            int concurrency, int queueCapacity, Duration shutdownTimeout, Duration eventsTimeout, String trainerUrl) {
        this(
                concurrency,
                queueCapacity,
                shutdownTimeout,
                eventsTimeout,
                trainerUrl,
                Duration.ofMinutes(10),
                Retention.DEFAULTS);
    }

    /** Whether another replica trains, and this one forwards training requests to it. */
    public boolean forwardsTraining() {
        return trainerUrl != null && !trainerUrl.isBlank();
    }

    @ConstructorBinding
    public TrainingSettings {
        eventsTimeout = eventsTimeout == null ? Duration.ofHours(6) : eventsTimeout;
        retention = retention == null ? Retention.DEFAULTS : retention;
        eventsIdleTimeout = eventsIdleTimeout == null ? Duration.ofMinutes(10) : eventsIdleTimeout;
        if (concurrency < 1 || concurrency > 16) {
            throw new IllegalArgumentException("dl4j-serving.training.concurrency must be 1-16, not " + concurrency);
        }
        if (queueCapacity < 0) {
            throw new IllegalArgumentException(
                    "dl4j-serving.training.queue-capacity must be >= 0, not " + queueCapacity);
        }
    }
}
