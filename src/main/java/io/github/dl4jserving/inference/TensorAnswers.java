package io.github.dl4jserving.inference;

import io.github.dl4jserving.inference.internal.ModelContract;
import io.github.dl4jserving.inference.internal.TabularRows;
import io.github.dl4jserving.inference.internal.VersionQueues;
import io.github.dl4jserving.registry.LoadedModel;
import io.github.dl4jserving.registry.ModelDescriptor;
import java.util.List;

/**
 * Open Inference Protocol tensors through a model version: the one path behind its REST and gRPC
 * forms. Rows are taken as the model's raw input width, its normalizer and declared feature ranges
 * applied as for every other request; the answer is the raw output tensor or, with a classification
 * k, the k best classes of each row.
 */
final class TensorAnswers {
    private final VersionQueues queues;
    private final ImageAnswers images;
    private final int maxBatch;

    TensorAnswers(VersionQueues queues, ImageAnswers images, int maxBatch) {
        this.queues = queues;
        this.images = images;
        this.maxBatch = maxBatch;
    }

    Answers.TensorOutput answer(LoadedModel m, TensorRequest request) {
        float[] flat;
        int rows;
        if (request.images() != null) {
            flat = images.prepare(request.images()); // checks the number of images itself
            rows = request.images().size();
        } else {
            flat = request.numbers();
            rows = request.shape().get(0).intValue();
        }
        Answers.Tensor result = run(m, flat, rows);
        int width = result.rows().length == 0 ? 0 : result.rows()[0].length;
        if (request.classification() > 0) {
            int k = Math.min(request.classification(), width);
            return new Answers.TensorOutput(
                    result.model(),
                    result.version(),
                    "BYTES",
                    List.of((long) rows, (long) k),
                    null,
                    result.topClasses(k));
        }
        float[] out = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(result.rows()[r], 0, out, r * width, width);
        }
        return new Answers.TensorOutput(
                result.model(), result.version(), "FP32", List.of((long) rows, (long) width), out, null);
    }

    private Answers.Tensor run(LoadedModel m, float[] flat, int rows) {
        Batches.check(rows, "row", maxBatch);
        int width = ModelContract.inputWidth(m.descriptor().input());
        if (flat.length != (long) rows * width) {
            throw new InvalidInputException(
                    "inputs",
                    "The input has " + flat.length + " values for " + rows + " rows; the model takes rows of " + width
                            + ".");
        }
        List<ModelDescriptor.FeatureRange> features = m.descriptor().input().features();
        if (features != null) {
            // Tensors skip the JSON parsing, not the model's declared ranges.
            for (int i = 0; i < flat.length; i++) {
                TabularRows.check(flat[i], features.get(i % width), "data[" + i + "]");
            }
        }
        float[][] out = queues.run(m, flat, rows);
        return new Answers.Tensor(
                m.name(), m.version(), width, out, m.descriptor().labels());
    }
}
