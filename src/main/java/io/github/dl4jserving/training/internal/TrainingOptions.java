package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.training.Hyperparameter;
import io.github.dl4jserving.training.InvalidHyperparameterException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hyperparameters a job runs with, made by {@link #parse} from a request and the trainer's
 * {@link Hyperparameter} table, which is the only place a default is written: every value the
 * trainer declares is set, the others are {@code null}.
 *
 * @param dropout    the probability of dropping a unit (not DL4J's retain probability)
 * @param timeBudget stop after the iteration that passes this much wall time (GAN training)
 * @param optimizer  one of {@link Optimizers#NAMES}
 * @param examples   train on at most this many training examples (a quick job on a sample)
 * @param degree     the highest power of a polynomial model's features
 * @param checkpointInterval the longest time between two checkpoints within an epoch (GAN training)
 * @param generatorTopFraction the share of its digits a GAN's generator learns from (top-k training)
 */
public record TrainingOptions(
        Integer epochs,
        Integer batchSize,
        Double learningRate,
        Long seed,
        Double l2,
        Double dropout,
        Duration timeBudget,
        String optimizer,
        Integer examples,
        Integer degree,
        Duration checkpointInterval,
        Double generatorTopFraction) {

    /**
     * Checks request values against a trainer's definitions: unknown names, wrong types and values
     * out of range are refused with the field named. Returns the options and every value in force,
     * defaults included, for the job record.
     */
    public static Parsed parse(Map<String, ?> values, List<Hyperparameter> definitions) {
        Map<String, Object> resolved = new LinkedHashMap<>();
        Map<String, Hyperparameter> byName = new LinkedHashMap<>();
        definitions.forEach(d -> byName.put(d.name(), d));
        if (values != null) {
            for (var e : values.entrySet()) {
                Hyperparameter d = byName.get(e.getKey());
                if (d == null) {
                    throw new InvalidHyperparameterException(
                            "hyperparameters." + e.getKey(),
                            "Unknown hyperparameter '" + e.getKey() + "'; this trainer takes " + byName.keySet() + ".");
                }
                resolved.put(d.name(), d.check(e.getValue()));
            }
        }
        definitions.forEach(d -> {
            if (!resolved.containsKey(d.name()) && d.defaultValue() != null) {
                resolved.put(d.name(), d.defaultValue());
            }
        });
        Object minutes = resolved.get("minutes");
        Object checkpointMinutes = resolved.get("checkpointMinutes");
        TrainingOptions options = new TrainingOptions(
                (Integer) resolved.get("epochs"),
                (Integer) resolved.get("batchSize"),
                (Double) resolved.get("learningRate"),
                resolved.get("seed") == null ? null : ((Integer) resolved.get("seed")).longValue(),
                (Double) resolved.get("l2"),
                (Double) resolved.get("dropout"),
                minutes == null ? null : minutes(((Number) minutes).doubleValue()),
                (String) resolved.get("optimizer"),
                (Integer) resolved.get("examples"),
                (Integer) resolved.get("degree"),
                checkpointMinutes == null ? null : minutes(((Number) checkpointMinutes).doubleValue()),
                (Double) resolved.get("generatorTopFraction"));
        return new Parsed(options, resolved);
    }

    static Duration minutes(double minutes) {
        return Duration.ofMillis(Math.round(minutes * 60_000));
    }

    /** Validated options and the full set of values in force. */
    public record Parsed(TrainingOptions options, Map<String, Object> values) {}
}
