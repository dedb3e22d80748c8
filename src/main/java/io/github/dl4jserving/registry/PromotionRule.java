package io.github.dl4jserving.registry;

/**
 * Decides whether a version being published becomes the default, given the current default's
 * descriptor (null when the model has no version yet). The registry asks it under its lock, so the
 * comparison and the pin are one step: two publishers cannot both beat the same old default.
 */
@FunctionalInterface
public interface PromotionRule {

    Decision decide(ModelDescriptor candidate, ModelDescriptor currentDefault);

    /** Whether the candidate serves, and why, in words recorded on the job that wrote it. */
    record Decision(boolean promote, String reason) {}
}
