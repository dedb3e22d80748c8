package io.github.dl4jserving.inference;

import java.awt.image.BufferedImage;
import java.util.List;

/** What the inference API returns: plain values, ready to be written as JSON. */
public final class Answers {
    private Answers() {
    }

    /** A classifier's answer for each input, in request order. */
    public record Classification(String model, int version, List<Prediction> predictions) {
    }

    /** The top label and its probability, and the {@code k} most likely labels. */
    public record Prediction(String label, double score, List<LabelScore> top) {
    }

    public record LabelScore(String label, double score) {
    }

    /** A binary tabular classifier's answer for each row. */
    public record TabularClassification(String model, int version, List<TabularPrediction> predictions) {
    }

    /** {@code probability} is that of the positive (second) label; {@code label} applies {@code threshold}. */
    public record TabularPrediction(String label, double probability, double threshold) {
    }

    /**
     * A tabular regressor's answer: one predicted value per row, in request order, and the value
     * itself as {@code prediction} when the request held a single row.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Regression(String model, int version, Double prediction, List<Double> predictions) {
    }

    /** Raw output rows of a model for raw input rows of {@code inputWidth} values. */
    public record Tensor(String model, int version, int inputWidth, float[][] rows, List<String> labels) {
    }

    /** Generated 28x28 grey images; {@code seed} is null when explicit latent vectors were given. */
    public record GeneratedDigits(String model, int version, Long seed, List<BufferedImage> images) {
    }
}
