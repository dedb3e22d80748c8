package io.github.dl4jserving.inference;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.springframework.stereotype.Service;

import io.github.dl4jserving.datasets.DigitImagePreprocessor;
import io.github.dl4jserving.datasets.PreparedDigit;
import io.github.dl4jserving.platform.ServingProperties;
import io.github.dl4jserving.registry.LoadedModel;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelKind;
import io.github.dl4jserving.registry.ModelRegistry;

/**
 * The inference API. Inputs are decoded and validated on the caller's thread, then each request's
 * inputs run as one batch on a replica of the model version.
 */
@Service
public class InferenceService {
    private static final long MAX_WAIT_MILLIS = 30_000;

    private final ModelRegistry registry;
    private final ServingProperties properties;
    private final ImageDecoder decoder;
    private final DigitImagePreprocessor preprocessor = new DigitImagePreprocessor();
    private final Map<String, NetworkPool> pools = new ConcurrentHashMap<>();

    public InferenceService(ModelRegistry registry, ServingProperties properties) {
        this.registry = registry;
        this.properties = properties;
        this.decoder = new ImageDecoder(properties.maxImageDimension());
    }

    /** The descriptor of the version a request to {@code model} and {@code version} would use. */
    public ModelDescriptor describe(String model, Integer version) {
        return registry.get(model, version).descriptor();
    }

    /** Classifies digits prepared by {@link #prepare(byte[])} or {@link #preparePixels(float[])}. */
    public Answers.Classification classifyDigits(String model, Integer version, List<PreparedDigit> digits, int k) {
        LoadedModel m = require(model, version, ModelKind.IMAGE_CLASSIFIER, "images");
        checkBatch(digits.size(), "image");
        return classify(m, digits.stream().map(PreparedDigit::pixels).toList(), k);
    }

    /** Decodes an image file (PNG, JPEG, GIF, BMP) of any size and polarity and prepares it. */
    public PreparedDigit prepare(byte[] file) {
        BufferedImage image = decoder.decode(file);
        return preprocessor.prepare(image);
    }

    /**
     * Prepares 28x28 grey levels from 0 to 255, row by row (MNIST's convention is ink 255 on 0, but
     * either polarity works).
     */
    public PreparedDigit preparePixels(float[] pixels) {
        float[] unit = new float[pixels.length];
        for (int i = 0; i < unit.length; i++) {
            unit[i] = pixels[i] / 255f;
        }
        return preprocessor.prepare(unit, DigitImagePreprocessor.SIZE, DigitImagePreprocessor.SIZE);
    }

    private Answers.Classification classify(LoadedModel m, List<float[]> inputs, int k) {
        List<String> labels = m.descriptor().labels();
        if (k < 1 || k > labels.size()) {
            throw new InvalidInputException("k", "k must be from 1 to " + labels.size() + ", not " + k + ".");
        }
        float[][] probabilities = run(m, stack(inputs, DigitImagePreprocessor.SIZE * DigitImagePreprocessor.SIZE));
        List<Answers.Prediction> predictions = new ArrayList<>(probabilities.length);
        for (float[] p : probabilities) {
            List<Answers.LabelScore> top = IntStream.range(0, p.length).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> p[i]).reversed())
                    .limit(k)
                    .map(i -> new Answers.LabelScore(labels.get(i), p[i]))
                    .toList();
            predictions.add(new Answers.Prediction(top.get(0).label(), top.get(0).score(), top));
        }
        return new Answers.Classification(m.name(), m.version(), predictions);
    }

    /** Classifies rows already in the model's feature order (see {@link TabularRows}). */
    public Answers.TabularClassification classifyRows(String model, Integer version, List<double[]> rows,
            double threshold) {
        LoadedModel m = require(model, version, ModelKind.TABULAR_CLASSIFIER, "table rows");
        checkBatch(rows.size(), "row");
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new InvalidInputException("threshold", "threshold must be from 0 to 1, not " + threshold + ".");
        }
        int width = m.descriptor().input().features().size();
        float[] flat = new float[rows.size() * width];
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < width; c++) {
                flat[r * width + c] = (float) rows.get(r)[c];
            }
        }
        INDArray features = Nd4j.create(flat, new long[] {rows.size(), width}, DataType.FLOAT);
        if (m.normalizer() != null) {
            m.normalizer().transform(features);
        }
        float[][] out = run(m, features);
        List<String> labels = m.descriptor().labels();
        List<Answers.TabularPrediction> predictions = Arrays.stream(out)
                .map(p -> new Answers.TabularPrediction(p[0] >= threshold ? labels.get(1) : labels.get(0), p[0],
                        threshold))
                .toList();
        return new Answers.TabularClassification(m.name(), m.version(), predictions);
    }

    /** The schema rows must match for {@code model}; the web layer parses requests with it. */
    public List<ModelDescriptor.FeatureRange> featureSchema(String model, Integer version) {
        return require(model, version, ModelKind.TABULAR_CLASSIFIER, "table rows").descriptor().input().features();
    }

    /** {@code count} digits from latent vectors drawn with {@code seed}: the same seed, the same digits. */
    public Answers.GeneratedDigits generate(String model, Integer version, int count, long seed) {
        LoadedModel m = require(model, version, ModelKind.IMAGE_GENERATOR, "generator requests");
        if (count < 1 || count > properties.maxBatch()) {
            throw new InvalidInputException("count", "count must be from 1 to " + properties.maxBatch() + ", not "
                    + count + ".");
        }
        int dim = m.descriptor().input().latentDimension();
        Random random = new Random(seed);
        float[] z = new float[count * dim];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) random.nextGaussian();
        }
        return generate(m, z, count, seed);
    }

    /** Digits from explicit latent vectors, each of the model's latent dimension. */
    public Answers.GeneratedDigits generate(String model, Integer version, List<float[]> latent) {
        LoadedModel m = require(model, version, ModelKind.IMAGE_GENERATOR, "generator requests");
        checkBatch(latent.size(), "latent vector");
        int dim = m.descriptor().input().latentDimension();
        float[] z = new float[latent.size() * dim];
        for (int r = 0; r < latent.size(); r++) {
            if (latent.get(r).length != dim) {
                throw new InvalidInputException("z[" + r + "]", "z[" + r + "] has " + latent.get(r).length
                        + " numbers; the generator takes " + dim + ".");
            }
            System.arraycopy(latent.get(r), 0, z, r * dim, dim);
        }
        return generate(m, z, latent.size(), null);
    }

    private Answers.GeneratedDigits generate(LoadedModel m, float[] z, int count, Long seed) {
        int dim = m.descriptor().input().latentDimension();
        float[][] out = run(m, Nd4j.create(z, new long[] {count, dim}, DataType.FLOAT));
        List<BufferedImage> images = new ArrayList<>(count);
        for (float[] pixels : out) {
            int side = (int) Math.round(Math.sqrt(pixels.length));
            BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
            for (int i = 0; i < pixels.length; i++) {
                int v = Math.round((Math.max(-1f, Math.min(1f, pixels[i])) + 1f) * 127.5f);
                img.getRaster().setSample(i % side, i / side, 0, v);
            }
            images.add(img);
        }
        return new Answers.GeneratedDigits(m.name(), m.version(), seed, images);
    }

    private float[][] run(LoadedModel m, INDArray input) {
        NetworkPool pool = pools.computeIfAbsent(m.name() + "@" + m.version(),
                key -> new NetworkPool(key, m.network(), properties.workersPerModel(), MAX_WAIT_MILLIS));
        try (INDArray in = input) {
            return pool.run(net -> {
                try (INDArray out = net.output(in, false)) {
                    return out.reshape(out.size(0), out.length() / out.size(0)).toFloatMatrix();
                }
            });
        }
    }

    private LoadedModel require(String model, Integer version, ModelKind kind, String what) {
        LoadedModel m = registry.get(model, version);
        if (m.descriptor().kind() != kind) {
            throw new UnsupportedInputException("Model '" + m.name() + "' is an " + m.descriptor().kind().wireName()
                    + " and does not take " + what + ". Send them to an " + kind.wireName() + " instead.");
        }
        return m;
    }

    private void checkBatch(int size, String what) {
        if (size < 1) {
            throw new InvalidInputException("instances", "The request holds no " + what + ".");
        }
        if (size > properties.maxBatch()) {
            throw new InvalidInputException("instances", "The request holds " + size + " " + what + "s; send at most "
                    + properties.maxBatch() + " per request.");
        }
    }

    private static INDArray stack(List<float[]> rows, int width) {
        float[] flat = new float[rows.size() * width];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, flat, r * width, width);
        }
        return Nd4j.create(flat, new long[] {rows.size(), width}, DataType.FLOAT);
    }
}
