package io.github.dl4jserving.training.internal;

/**
 * From {@code iteration} on, both networks of a GAN run learned at {@code learningRate} and the
 * generator from the share {@code generatorTopFraction} of its digits ({@link GanState#generatorKeep};
 * null in records from before it could change: all of them).
 */
record SettingChange(long iteration, double learningRate, Double generatorTopFraction) {
    SettingChange {
        generatorTopFraction = generatorTopFraction == null ? 1.0 : generatorTopFraction;
    }
}
