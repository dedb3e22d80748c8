package io.github.dl4jserving.inference;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.dl4jserving.registry.ModelKind;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** What the inference API returns: plain values, ready to be written as JSON. */
public final class Answers {
    private Answers() {}

    /** A classifier's answer for each input, in request order. */
    public record Classification(String model, int version, List<Prediction> predictions) {}

    /** The top label and its probability, and the {@code k} most likely labels. */
    public record Prediction(String label, double score, List<LabelScore> top) {}

    public record LabelScore(String label, double score) {}

    /** A binary tabular classifier's answer for each row. */
    public record TabularClassification(String model, int version, List<TabularPrediction> predictions) {}

    /** {@code probability} is that of the positive (second) label; {@code label} applies {@code threshold}. */
    public record TabularPrediction(String label, double probability, double threshold) {}

    /**
     * A tabular regressor's answer: one predicted value per row, in request order, and the value
     * itself as {@code prediction} when the request held a single row.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Regression(String model, int version, Double prediction, List<Double> predictions) {}

    /** Raw output rows of a model for raw input rows of {@code inputWidth} values. */
    public record Tensor(String model, int version, int inputWidth, float[][] rows, List<String> labels) {

        /**
         * Per row, the {@code k} best classes as Triton's classification extension writes them,
         * {@code "<score>:<index>[:<label>]"}, best first.
         */
        public List<String> topClasses(int k) {
            List<String> out = new ArrayList<>(rows.length * k);
            for (float[] row : rows) {
                for (int c : topIndices(row, k)) {
                    String label = labels != null && c < labels.size() ? ":" + labels.get(c) : "";
                    out.add(row[c] + ":" + c + label);
                }
            }
            return out;
        }
    }

    /**
     * An Open Inference Protocol output tensor: FP32 scores ({@code scores}, row-major) or, when the
     * request asked for classification, BYTES strings of the best classes ({@code classes}).
     */
    public record TensorOutput(
            String model, int version, String datatype, List<Long> shape, float[] scores, List<String> classes) {}

    /** What the Open Inference Protocol describes of a model version: its tensors' widths and its versions. */
    public record TensorModel(
            String name, int version, ModelKind kind, List<Integer> versions, int inputWidth, int outputWidth) {
        /** The input tensor's name; an image classifier also takes encoded images as {@value #IMAGE_INPUT}. */
        public static final String INPUT = "input";

        public static final String IMAGE_INPUT = "image";
        public static final String OUTPUT = "output";

        /** The tensors it takes: rows of its input width, and for an image classifier encoded images. */
        public List<TensorSpec> inputs() {
            TensorSpec rows = new TensorSpec(INPUT, "FP32", List.of(-1L, (long) inputWidth));
            return kind == ModelKind.IMAGE_CLASSIFIER
                    ? List.of(rows, new TensorSpec(IMAGE_INPUT, "BYTES", List.of(-1L)))
                    : List.of(rows);
        }

        /** The tensor it gives: a row of scores per input row. */
        public List<TensorSpec> outputs() {
            return List.of(new TensorSpec(OUTPUT, "FP32", List.of(-1L, (long) outputWidth)));
        }
    }

    /** A tensor's name, datatype and shape, -1 for a dimension of any size. */
    public record TensorSpec(String name, String datatype, List<Long> shape) {}

    /** The indices of the {@code k} largest scores, largest first; the lower index first among equals. */
    static int[] topIndices(float[] scores, int k) {
        int[] top = new int[k];
        boolean[] taken = new boolean[scores.length];
        for (int n = 0; n < k; n++) {
            int best = -1;
            for (int i = 0; i < scores.length; i++) {
                if (!taken[i] && (best < 0 || scores[i] > scores[best])) {
                    best = i;
                }
            }
            top[n] = best;
            taken[best] = true;
        }
        return top;
    }

    /** Generated 28x28 grey images; {@code seed} is null when explicit latent vectors were given. */
    public record GeneratedDigits(String model, int version, Long seed, List<BufferedImage> images) {}
}
