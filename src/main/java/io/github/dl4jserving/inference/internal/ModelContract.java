package io.github.dl4jserving.inference.internal;

import io.github.dl4jserving.datasets.DigitImages;
import io.github.dl4jserving.registry.InvalidModelException;
import io.github.dl4jserving.registry.LoadedModel;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelKind;
import java.util.Set;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a descriptor promises about its network: the width of an input and an output row by kind,
 * and the check that a candidate version keeps those promises before it is accepted.
 */
public final class ModelContract {
    private static final Logger log = LoggerFactory.getLogger(ModelContract.class);

    private ModelContract() {}

    /**
     * Checks that a candidate version runs: one dummy batch of its declared input shape through its
     * network, with an output of the shape its kind and labels promise.
     */
    public static void validate(LoadedModel candidate) {
        ModelDescriptor d = candidate.descriptor();
        int expected = outputWidth(d);
        if (d.kind() == ModelKind.IMAGE_CLASSIFIER
                && (d.input().image() == null
                        || d.input().image().width() * d.input().image().height() != DigitImages.PIXELS)) {
            throw new InvalidModelException("an image-classifier must declare a 28x28 image input");
        }
        if (d.kind() == ModelKind.TABULAR_CLASSIFIER
                && (d.labels() == null
                        || d.labels().size() != 2
                        || d.input().features() == null
                        || d.input().features().isEmpty())) {
            throw new InvalidModelException("a tabular-classifier must declare its features and two labels");
        }
        if (d.kind() == ModelKind.TABULAR_REGRESSOR
                && (d.input().features() == null || d.input().features().isEmpty())) {
            throw new InvalidModelException("a tabular-regressor must declare its features");
        }
        if (d.input().polynomialDegree() != null
                && (d.input().polynomialDegree() < 1 || d.input().polynomialDegree() > 16)) {
            throw new InvalidModelException("polynomialDegree must be from 1 to 16");
        }
        if (d.kind() == ModelKind.IMAGE_GENERATOR
                && (d.input().latentDimension() == null || d.input().latentDimension() < 1)) {
            throw new InvalidModelException("an image-generator must declare its latent dimension");
        }
        checkOutputActivation(candidate);
        checkNormalizer(candidate);
        INDArray params = candidate.network().params();
        if (params != null && !params.isEmpty() && BooleanIndexing.or(params, Conditions.notFinite())) {
            throw new InvalidModelException("the network's parameters hold NaN or infinite values, "
                    + "so it would answer NaN (a training that diverged?)");
        }
        long width;
        boolean finite;
        try (INDArray dummy = Nd4j.zeros(DataType.FLOAT, 2, networkWidth(d.input()));
                INDArray out = candidate.network().output(dummy, false)) {
            width = out.length() / out.size(0);
            finite = !BooleanIndexing.or(out, Conditions.notFinite());
        } catch (RuntimeException e) {
            log.info("An uploaded {} failed a forward pass of its declared input", d.name(), e);
            throw new InvalidModelException("the network cannot take a batch of the declared input ("
                    + networkWidth(d.input()) + " values per row)");
        }
        if (width != expected) {
            throw new InvalidModelException("a dummy batch of the declared input gives outputs of " + width
                    + " values, but the descriptor implies " + expected);
        }
        if (!finite) {
            throw new InvalidModelException("a dummy batch of the declared input (all zeros) gives NaN or "
                    + "infinite outputs; a version must answer finite numbers");
        }
    }

    /**
     * Trainers that standardize their features and store the normalizer in the zip; a version whose
     * provenance names one of them, without a normalizer, would be fed raw values.
     */
    private static final Set<String> TRAINERS_WITH_NORMALIZER =
            Set.of("BreastCancerLogRegTrainer", "SalaryPolyRegTrainer");

    /**
     * The declared kind must match what the network's output layer computes: class probabilities
     * (softmax for an image classifier, a sigmoid for a tabular one) or, for a regressor, an
     * unbounded number. A classifier declared as a regressor would otherwise answer probabilities
     * as predicted values.
     */
    private static void checkOutputActivation(LoadedModel candidate) {
        ModelKind kind = candidate.descriptor().kind();
        var confs = candidate.network().getLayerWiseConfigurations().getConfs();
        if (confs.isEmpty()
                || !(confs.get(confs.size() - 1).getLayer() instanceof BaseLayer out)
                || out.getActivationFn() == null) {
            return;
        }
        IActivation activation = out.getActivationFn();
        boolean probabilities = activation instanceof ActivationSoftmax || activation instanceof ActivationSigmoid;
        String problem = switch (kind) {
            case IMAGE_CLASSIFIER -> activation instanceof ActivationSoftmax ? null : "a softmax";
            case TABULAR_CLASSIFIER -> activation instanceof ActivationSigmoid ? null : "a sigmoid";
            case TABULAR_REGRESSOR -> probabilities ? "an unbounded activation (identity, say)" : null;
            case IMAGE_GENERATOR -> null;
        };
        if (problem != null) {
            throw new InvalidModelException(
                    "kind",
                    "The descriptor declares kind " + kind.wireName() + ", whose output layer has " + problem
                            + ", but the network's output layer uses " + activation + ". Declare the kind the "
                            + "network was trained as.");
        }
    }

    private static void checkNormalizer(LoadedModel candidate) {
        ModelDescriptor.Provenance provenance = candidate.descriptor().provenance();
        if (provenance != null
                && TRAINERS_WITH_NORMALIZER.contains(provenance.trainer())
                && candidate.normalizer() == null) {
            throw new InvalidModelException(
                    "model",
                    "The descriptor says " + provenance.trainer() + " trained this model, which standardizes the "
                            + "features and stores its normalizer in the zip, but the zip holds none. Save the zip "
                            + "with ModelSerializer.addNormalizerToModel.");
        }
    }

    /** How many numbers one output row of this model has, by its kind and labels (-1 without labels). */
    public static int outputWidth(ModelDescriptor d) {
        return switch (d.kind()) {
            case IMAGE_CLASSIFIER -> d.labels() == null ? -1 : d.labels().size();
            case TABULAR_CLASSIFIER, TABULAR_REGRESSOR -> 1;
            case IMAGE_GENERATOR -> DigitImages.PIXELS;
        };
    }

    /** How many numbers one input row of this model has. */
    public static int inputWidth(ModelDescriptor.InputSchema input) {
        return input.image() != null
                ? input.image().width() * input.image().height()
                : input.features() != null ? input.features().size() : input.latentDimension();
    }

    /** How many numbers one row of the network's own input has: the features' powers for a polynomial model. */
    static int networkWidth(ModelDescriptor.InputSchema input) {
        int degree = input.polynomialDegree() == null ? 1 : input.polynomialDegree();
        return inputWidth(input) * degree;
    }

    /** Each value's powers 1 to {@code degree}, value by value: [x, x^2, ..., y, y^2, ...]. */
    static float[] polynomial(float[] flat, int degree) {
        float[] out = new float[flat.length * degree];
        for (int i = 0; i < flat.length; i++) {
            double power = 1;
            for (int d = 0; d < degree; d++) {
                power *= flat[i];
                out[i * degree + d] = (float) power;
            }
        }
        return out;
    }
}
