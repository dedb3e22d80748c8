package io.github.dl4jserving.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A training job as the API shows it and as the job store keeps it: what was asked, where it is,
 * what it produced.
 *
 * @param model        the trainer (model type)
 * @param name         the registry model the result is written to; the trainer's own name by default
 * @param comparison   the optimizer comparison the job belongs to; such jobs write no version
 * @param progress     0 to 1 over the whole job
 * @param etaSeconds   estimated seconds left, from the rate so far
 * @param history      one entry per finished epoch
 * @param losses       the training loss by iteration, thinned to at most a few hundred points
 * @param resultVersion the registry version written, once it succeeded
 * @param promoted     whether the result became the default, and {@code promotionReason} why
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingJob(
        String id,
        String model,
        String name,
        String dataset,
        String comparison,
        Map<String, Object> hyperparameters,
        Promotion promote,
        JobStatus status,
        double progress,
        int epoch,
        int epochs,
        long iteration,
        Double loss,
        Double etaSeconds,
        List<EpochStats> history,
        List<double[]> losses,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Double durationSeconds,
        Integer resultVersion,
        Map<String, Double> metrics,
        Boolean promoted,
        String promotionReason,
        String error) {

    /** The seconds from {@code started} to {@code finished}, or to now while it runs; null before it starts. */
    static Double seconds(Instant started, Instant finished) {
        return started == null
                ? null
                : Duration.between(started, finished != null ? finished : Instant.now())
                                .toMillis()
                        / 1000.0;
    }

    /** One finished epoch: mean training loss, and the validation metrics (loss, accuracy, ...). */
    public record EpochStats(int epoch, double trainingLoss, Map<String, Double> validation, double seconds) {}
}
