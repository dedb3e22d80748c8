package io.github.dl4jserving.training;

import io.github.dl4jserving.registry.LoadedModel;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelNotFoundException;
import io.github.dl4jserving.registry.ModelRegistry;

/** Whether a finished job's version becomes the default, and why: the decision recorded on the job. */
final class PromotionPolicy {

    record Decision(boolean promote, String reason) {
    }

    private PromotionPolicy() {
    }

    /**
     * {@code always} and {@code never} decide alone; {@code if-better} compares the trainer's
     * primary held-out metric with the current default's. A model's first version always serves.
     */
    static Decision decide(Promotion promotion, Trainer trainer, ModelDescriptor candidate, ModelRegistry registry) {
        LoadedModel current;
        try {
            current = registry.defaultVersion(candidate.name());
        } catch (ModelNotFoundException e) {
            return new Decision(true, "there was no version of " + candidate.name() + " yet");
        }
        String metric = trainer.primaryMetric().name();
        Double now = current.descriptor().metrics() == null ? null : current.descriptor().metrics().get(metric);
        Double cand = candidate.metrics() == null ? null : candidate.metrics().get(metric);
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
                yield new Decision(better, metric + " " + cand + (better ? " beats " : " does not beat ")
                        + "the default's (version " + current.version() + ") " + now);
            }
        };
    }
}
