package io.github.dl4jserving.inference;

import io.github.dl4jserving.datasets.DigitImages;
import io.github.dl4jserving.datasets.NoDigitFoundException;
import io.github.dl4jserving.datasets.PixelBudget;
import io.github.dl4jserving.datasets.PixelBudgetExceededException;
import io.github.dl4jserving.datasets.PreparedDigit;
import io.github.dl4jserving.datasets.UnreadableImageException;
import io.github.dl4jserving.inference.internal.InferenceTracing;
import io.github.dl4jserving.inference.internal.VersionQueues;
import io.github.dl4jserving.registry.LoadedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Images of digits, encoded files or grey-level arrays, prepared and classified. */
final class ImageAnswers {
    private final VersionQueues queues;
    private final DigitImages digits;
    private final int maxBatch;
    private final InferenceTracing tracing;

    ImageAnswers(VersionQueues queues, DigitImages digits, int maxBatch, InferenceTracing tracing) {
        this.queues = queues;
        this.digits = digits;
        this.maxBatch = maxBatch;
        this.tracing = tracing;
    }

    /** The 28x28 rows of encoded images, in order, as one flat array. */
    float[] prepare(List<byte[]> files) {
        Batches.check(files.size(), "image", maxBatch);
        return tracing.decode(files.size(), () -> {
            digits.checkDeclaredPixels(files);
            List<float[]> prepared = new ArrayList<>(files.size());
            PixelBudget budget = digits.budget();
            for (byte[] file : files) {
                prepared.add(digits.prepare(file, budget).pixels());
            }
            return Batches.flatten(prepared, DigitImages.PIXELS);
        });
    }

    /** One prediction per image, in order; an image that fails is named by its place in the request. */
    Answers.Classification classify(LoadedModel m, List<ImageInput> images, Integer requestedK) {
        Batches.check(images.size(), "image", maxBatch);
        return topLabels(m, tracing.decode(images.size(), () -> prepareAll(images)), requestedK);
    }

    /** Each image prepared, in order; an image that fails is named by its place in the request. */
    private List<float[]> prepareAll(List<ImageInput> images) {
        digits.checkDeclaredPixels(
                images.stream().map(ImageInput::file).filter(Objects::nonNull).toList());
        List<float[]> prepared = new ArrayList<>(images.size());
        PixelBudget budget = digits.budget();
        for (int i = 0; i < images.size(); i++) {
            ImageInput image = images.get(i);
            try {
                prepared.add(
                        (image.file() != null ? digits.prepare(image.file(), budget) : preparePixels(image.pixels()))
                                .pixels());
            } catch (UnreadableImageException | NoDigitFoundException e) {
                if (images.size() == 1 || e instanceof PixelBudgetExceededException) {
                    throw e;
                }
                String where = "Image " + (i + 1) + " of " + images.size() + ": ";
                throw e instanceof UnreadableImageException
                        ? new UnreadableImageException(where + e.getMessage())
                        : new NoDigitFoundException(where + e.getMessage());
            }
        }
        return prepared;
    }

    /**
     * Prepares 28x28 grey levels from 0 to 255, row by row (MNIST's convention is ink 255 on 0, but
     * either polarity works).
     */
    private static PreparedDigit preparePixels(float[] pixels) {
        float[] unit = new float[pixels.length];
        for (int i = 0; i < unit.length; i++) {
            unit[i] = pixels[i] / 255f;
        }
        return DigitImages.prepareGreyLevels(unit, DigitImages.SIZE, DigitImages.SIZE);
    }

    /** {@code k} labels per input, best first; null asks for 3, or every label if there are fewer. */
    private Answers.Classification topLabels(LoadedModel m, List<float[]> inputs, Integer requestedK) {
        List<String> labels = m.descriptor().labels();
        int k = requestedK != null ? requestedK : Math.min(3, labels.size());
        if (k < 1 || k > labels.size()) {
            throw new InvalidInputException("k", "k must be from 1 to " + labels.size() + ", not " + k + ".");
        }
        float[][] probabilities = queues.run(m, Batches.flatten(inputs, DigitImages.PIXELS), inputs.size());
        List<Answers.Prediction> predictions = new ArrayList<>(probabilities.length);
        for (float[] p : probabilities) {
            List<Answers.LabelScore> top = new ArrayList<>(k);
            for (int i : Answers.topIndices(p, k)) {
                top.add(new Answers.LabelScore(labels.get(i), p[i]));
            }
            predictions.add(
                    new Answers.Prediction(top.get(0).label(), top.get(0).score(), top));
        }
        return new Answers.Classification(m.name(), m.version(), predictions);
    }
}
