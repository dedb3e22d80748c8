package io.github.dl4jserving.training;

import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.PromotionRule;
import io.github.dl4jserving.registry.PromotionRule.Decision;
import io.github.dl4jserving.training.internal.Trainer;

/** Whether a finished job's version becomes the default, and why: the decision recorded on the job. */
final class PromotionPolicy {

    private PromotionPolicy() {}

    /**
     * {@code always} and {@code never} decide alone; {@code if-better} compares the trainer's
     * primary held-out metric with the current default's, and its guard metrics must not be worse. A model's first version always serves.
     * The registry applies the rule under its lock, against the default of that moment.
     */
    static PromotionRule rule(Promotion promotion, Trainer trainer) {
        return (candidate, current) -> decide(promotion, trainer, candidate, current);
    }

    static Decision decide(Promotion promotion, Trainer trainer, ModelDescriptor candidate, ModelDescriptor current) {
        if (current == null) {
            return new Decision(true, "there was no version of " + candidate.name() + " yet");
        }
        String metric = trainer.primaryMetric().name();
        Double now = value(current, metric);
        Double cand = value(candidate, metric);
        return switch (promotion) {
            case ALWAYS -> new Decision(true, "promote=always");
            case NEVER -> new Decision(false, "promote=never: version " + current.version() + " stays the default");
            case IF_BETTER -> {
                if (cand == null || cand.isNaN()) {
                    yield new Decision(false, "the new version has no " + metric);
                }
                if (now == null || now.isNaN()) {
                    yield new Decision(true, "the default (version " + current.version() + ") has no " + metric);
                }
                boolean better = trainer.primaryMetric().better(cand, now);
                String reason = metric + " " + cand + (better ? " beats " : " does not beat ")
                        + "the default's (version " + current.version() + ") " + now;
                if (better) {
                    for (Trainer.PrimaryMetric guard : trainer.guardMetrics()) {
                        Double g = value(candidate, guard.name());
                        Double d = value(current, guard.name());
                        if (d != null && !d.isNaN() && (g == null || g.isNaN() || guard.better(d, g))) {
                            yield new Decision(
                                    false,
                                    reason + ", but its " + guard.name() + " " + g + " is worse than the default's "
                                            + d);
                        }
                    }
                }
                yield new Decision(better, reason);
            }
        };
    }

    private static Double value(ModelDescriptor d, String metric) {
        return d.metrics() == null ? null : d.metrics().get(metric);
    }
}
