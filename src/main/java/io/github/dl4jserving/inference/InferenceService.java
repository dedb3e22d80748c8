package io.github.dl4jserving.inference;

import io.github.dl4jserving.datasets.UnreadableImageException;
import io.github.dl4jserving.datasets.ImageDecoder;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.springframework.stereotype.Service;

import io.micrometer.core.instrument.MeterRegistry;

import io.github.dl4jserving.datasets.DigitImagePreprocessor;
import io.github.dl4jserving.datasets.NoDigitFoundException;
import io.github.dl4jserving.datasets.PreparedDigit;
import io.github.dl4jserving.platform.Rejections;
import io.github.dl4jserving.platform.ServingProperties;
import io.github.dl4jserving.registry.InvalidModelException;
import io.github.dl4jserving.registry.LoadedModel;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelKind;
import io.github.dl4jserving.registry.ModelNotFoundException;
import io.github.dl4jserving.registry.ModelRegistry;

/**
 * The inference API. Inputs are decoded and validated on the caller's thread, then each request's
 * inputs join the model version's batch queue, where they may share a forward pass with others.
 */
@Service
public class InferenceService {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(InferenceService.class);
    private static final long MAX_WAIT_MILLIS = 30_000;

    private final ModelRegistry registry;
    private final ServingProperties properties;
    private final ImageDecoder decoder;
    private final DigitImagePreprocessor preprocessor = new DigitImagePreprocessor();
    private final Map<String, BatchQueue> queues = new ConcurrentHashMap<>();
    private final Set<String> warm = ConcurrentHashMap.newKeySet();
    private final Set<String> retired = ConcurrentHashMap.newKeySet();
    private final InferenceMetrics metrics;

    private final BatchingSettings batching;

    public InferenceService(ModelRegistry registry, ServingProperties properties, BatchingSettings batching,
            MeterRegistry meters) {
        this.registry = registry;
        this.properties = properties;
        this.batching = batching;
        this.decoder = new ImageDecoder(properties.maxImageDimension());
        this.metrics = new InferenceMetrics(meters, new Rejections(meters));
        // Warm every default version as it loads, at start-up before readiness, and later when a
        // rescan or a new version makes another version the default.
        registry.onLoad(this::warmUpIfDefault);
        registry.onDefaultChange(m -> warmUp(m.name(), m.version()));
        registry.onUnload(this::retire);
    }

    /**
     * Checks that a candidate version runs: one dummy batch of its declared input shape through its
     * network, with an output of the shape its kind and labels promise. Used before an uploaded
     * version is accepted.
     */
    public void validate(LoadedModel candidate) {
        ModelDescriptor d = candidate.descriptor();
        int expected = outputWidth(d);
        if (d.kind() == ModelKind.IMAGE_CLASSIFIER && (d.input().image() == null || d.input().image().width()
                * d.input().image().height() != DigitImagePreprocessor.SIZE * DigitImagePreprocessor.SIZE)) {
            throw new InvalidModelException("an image-classifier must declare a 28x28 image input");
        }
        if (d.kind() == ModelKind.TABULAR_CLASSIFIER && (d.labels() == null || d.labels().size() != 2
                || d.input().features() == null || d.input().features().isEmpty())) {
            throw new InvalidModelException("a tabular-classifier must declare its features and two labels");
        }
        if (d.kind() == ModelKind.TABULAR_REGRESSOR && (d.input().features() == null || d.input().features().isEmpty())) {
            throw new InvalidModelException("a tabular-regressor must declare its features");
        }
        if (d.input().polynomialDegree() != null && (d.input().polynomialDegree() < 1
                || d.input().polynomialDegree() > 16)) {
            throw new InvalidModelException("polynomialDegree must be from 1 to 16");
        }
        if (d.kind() == ModelKind.IMAGE_GENERATOR && (d.input().latentDimension() == null
                || d.input().latentDimension() < 1)) {
            throw new InvalidModelException("an image-generator must declare its latent dimension");
        }
        long width;
        try (INDArray dummy = Nd4j.zeros(DataType.FLOAT, 2, networkWidth(d.input()));
                INDArray out = candidate.network().output(dummy, false)) {
            width = out.length() / out.size(0);
        } catch (RuntimeException e) {
            log.info("An uploaded {} failed a forward pass of its declared input", d.name(), e);
            throw new InvalidModelException("the network cannot take a batch of the declared input ("
                    + networkWidth(d.input()) + " values per row)");
        }
        if (width != expected) {
            throw new InvalidModelException("a dummy batch of the declared input gives outputs of " + width
                    + " values, but the descriptor implies " + expected);
        }
    }

    /** How many numbers one output row of this model has, by its kind and labels (-1 without labels). */
    public static int outputWidth(ModelDescriptor d) {
        return switch (d.kind()) {
            case IMAGE_CLASSIFIER -> d.labels() == null ? -1 : d.labels().size();
            case TABULAR_CLASSIFIER, TABULAR_REGRESSOR -> 1;
            case IMAGE_GENERATOR -> DigitImagePreprocessor.SIZE * DigitImagePreprocessor.SIZE;
        };
    }

    /** How many numbers one input row of this model has. */
    public static int inputWidth(ModelDescriptor.InputSchema input) {
        return input.image() != null ? input.image().width() * input.image().height()
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

    /** Stops serving a removed version and frees its replicas once their in-flight batches end. */
    private void retire(LoadedModel m) {
        retired.add(key(m));
        warm.remove(key(m));
        BatchQueue queue = queues.remove(key(m));
        metrics.retire(m.name(), Integer.toString(m.version()));
        if (queue != null) {
            Thread closer = new Thread(queue::closeWhenIdle, "retire-" + key(m));
            closer.setDaemon(true);
            closer.start();
        } else {
            m.network().close();
        }
    }

    private void warmUpIfDefault(LoadedModel m) {
        try {
            if (registry.defaultVersion(m.name()).version() == m.version()) {
                warmUp(m.name(), m.version());
            }
        } catch (RuntimeException e) {
            log.warn("Warm-up of {} version {} failed: {}", m.name(), m.version(), e.toString());
        }
    }

    /** The descriptor of the version a request to {@code model} and {@code version} would use. */
    public ModelDescriptor describe(String model, Integer version) {
        return registry.get(model, version).descriptor();
    }

    /** Decodes, prepares and classifies images of digits, one prediction per image, in order. */
    public Answers.Classification classifyImages(String model, Integer version, List<ImageInput> images, Integer k) {
        return observed(model, version, ModelKind.IMAGE_CLASSIFIER, "images", m -> {
            checkBatch(images.size(), "image");
            List<float[]> prepared = new ArrayList<>(images.size());
            for (int i = 0; i < images.size(); i++) {
                ImageInput image = images.get(i);
                try {
                    prepared.add((image.file() != null ? prepare(image.file()) : preparePixels(image.pixels()))
                            .pixels());
                } catch (UnreadableImageException | NoDigitFoundException e) {
                    if (images.size() == 1) {
                        throw e;
                    }
                    String where = "Image " + (i + 1) + " of " + images.size() + ": ";
                    throw e instanceof UnreadableImageException ? new UnreadableImageException(where + e.getMessage())
                            : new NoDigitFoundException(where + e.getMessage());
                }
            }
            return classify(m, prepared, k);
        });
    }

    /**
     * Runs raw input tensors, {@code rows} rows of the model's input width given row by row, and
     * returns its raw output rows: the tensor-level view the Open Inference Protocol needs. The
     * model's normalizer, if it has one, is applied as for every other request.
     */
    public Answers.Tensor infer(String model, Integer version, float[] flat, int rows) {
        return observed(model, version, null, "tensors", m -> {
            checkBatch(rows, "row");
            int width = inputWidth(m.descriptor().input());
            if (rows < 1 || flat.length != (long) rows * width) {
                throw new InvalidInputException("inputs", "The input has " + flat.length + " values for " + rows
                        + " rows; the model takes rows of " + width + ".");
            }
            List<ModelDescriptor.FeatureRange> features = m.descriptor().input().features();
            if (features != null) {
                // Tensors skip the JSON parsing, not the model's declared ranges.
                for (int i = 0; i < flat.length; i++) {
                    TabularRows.check(flat[i], features.get(i % width), "data[" + i + "]");
                }
            }
            float[][] out = run(m, flat, rows);
            return new Answers.Tensor(m.name(), m.version(), width, out, m.descriptor().labels());
        });
    }

    /** Decodes and prepares encoded images into the 28x28 tensor rows an image classifier takes. */
    public float[] prepareImages(List<byte[]> files) {
        checkBatch(files.size(), "image");
        List<float[]> prepared = new ArrayList<>(files.size());
        for (byte[] file : files) {
            prepared.add(prepare(file).pixels());
        }
        return flatten(prepared, DigitImagePreprocessor.SIZE * DigitImagePreprocessor.SIZE);
    }

    /** Decodes an image file (PNG, JPEG, GIF, BMP) of any size and polarity and prepares it. */
    private PreparedDigit prepare(byte[] file) {
        BufferedImage image = decoder.decode(file);
        return preprocessor.prepare(image);
    }

    /**
     * Prepares 28x28 grey levels from 0 to 255, row by row (MNIST's convention is ink 255 on 0, but
     * either polarity works).
     */
    private PreparedDigit preparePixels(float[] pixels) {
        float[] unit = new float[pixels.length];
        for (int i = 0; i < unit.length; i++) {
            unit[i] = pixels[i] / 255f;
        }
        return preprocessor.prepare(unit, DigitImagePreprocessor.SIZE, DigitImagePreprocessor.SIZE);
    }

    /** {@code k} labels per input, best first; null asks for 3, or every label if there are fewer. */
    private Answers.Classification classify(LoadedModel m, List<float[]> inputs, Integer requestedK) {
        List<String> labels = m.descriptor().labels();
        int k = requestedK != null ? requestedK : Math.min(3, labels.size());
        if (k < 1 || k > labels.size()) {
            throw new InvalidInputException("k", "k must be from 1 to " + labels.size() + ", not " + k + ".");
        }
        float[][] probabilities = run(m, flatten(inputs, DigitImagePreprocessor.SIZE * DigitImagePreprocessor.SIZE),
                inputs.size());
        List<Answers.Prediction> predictions = new ArrayList<>(probabilities.length);
        for (float[] p : probabilities) {
            List<Answers.LabelScore> top = new ArrayList<>(k);
            for (int i : topIndices(p, k)) {
                top.add(new Answers.LabelScore(labels.get(i), p[i]));
            }
            predictions.add(new Answers.Prediction(top.get(0).label(), top.get(0).score(), top));
        }
        return new Answers.Classification(m.name(), m.version(), predictions);
    }

    /**
     * Classifies table rows given as JSON values (objects of feature name to number, or ordered
     * arrays); {@code fields} names each row in error messages.
     */
    public Answers.TabularClassification classifyRows(String model, Integer version, List<?> rows,
            List<String> fields, double threshold) {
        return observed(model, version, ModelKind.TABULAR_CLASSIFIER, "table rows", m -> {
            checkBatch(rows.size(), "row");
            List<ModelDescriptor.FeatureRange> schema = m.descriptor().input().features();
            List<double[]> parsed = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                parsed.add(TabularRows.fromJson(rows.get(i), schema, fields.get(i)));
            }
            return classifyRows(m, parsed, threshold);
        });
    }

    /** Classifies the rows of a CSV text whose header names the features. */
    public Answers.TabularClassification classifyCsv(String model, Integer version, String csv, double threshold) {
        return observed(model, version, ModelKind.TABULAR_CLASSIFIER, "table rows", m -> classifyRows(m,
                TabularRows.fromCsv(csv, m.descriptor().input().features(), properties.maxBatch()), threshold));
    }

    /** Predicts a value for each table row given as JSON values, as {@link #classifyRows} reads them. */
    public Answers.Regression regressRows(String model, Integer version, List<?> rows, List<String> fields) {
        return observed(model, version, ModelKind.TABULAR_REGRESSOR, "table rows", m -> {
            checkBatch(rows.size(), "row");
            List<ModelDescriptor.FeatureRange> schema = m.descriptor().input().features();
            List<double[]> parsed = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                parsed.add(TabularRows.fromJson(rows.get(i), schema, fields.get(i)));
            }
            return regress(m, parsed);
        });
    }

    /** Predicts a value for each row of a CSV text whose header names the features. */
    public Answers.Regression regressCsv(String model, Integer version, String csv) {
        return observed(model, version, ModelKind.TABULAR_REGRESSOR, "table rows", m -> regress(m,
                TabularRows.fromCsv(csv, m.descriptor().input().features(), properties.maxBatch())));
    }

    private Answers.Regression regress(LoadedModel m, List<double[]> rows) {
        checkBatch(rows.size(), "row");
        float[][] out = run(m, flatRows(rows, m.descriptor().input().features().size()), rows.size());
        List<Double> values = Arrays.stream(out).map(p -> (double) p[0]).toList();
        return new Answers.Regression(m.name(), m.version(), values.size() == 1 ? values.get(0) : null, values);
    }

    private static float[] flatRows(List<double[]> rows, int width) {
        float[] flat = new float[rows.size() * width];
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < width; c++) {
                flat[r * width + c] = (float) rows.get(r)[c];
            }
        }
        return flat;
    }

    private Answers.TabularClassification classifyRows(LoadedModel m, List<double[]> rows, double threshold) {
        checkBatch(rows.size(), "row");
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new InvalidInputException("threshold", "threshold must be from 0 to 1, not " + threshold + ".");
        }
        float[][] out = run(m, flatRows(rows, m.descriptor().input().features().size()), rows.size());
        List<String> labels = m.descriptor().labels();
        List<Answers.TabularPrediction> predictions = Arrays.stream(out)
                .map(p -> new Answers.TabularPrediction(p[0] >= threshold ? labels.get(1) : labels.get(0), p[0],
                        threshold))
                .toList();
        return new Answers.TabularClassification(m.name(), m.version(), predictions);
    }

    /** {@code count} digits from latent vectors drawn with {@code seed}: the same seed, the same digits. */
    public Answers.GeneratedDigits generate(String model, Integer version, int count, long seed) {
        return observed(model, version, ModelKind.IMAGE_GENERATOR, "generator requests",
                m -> generate(m, count, seed));
    }

    private Answers.GeneratedDigits generate(LoadedModel m, int count, long seed) {
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
        return observed(model, version, ModelKind.IMAGE_GENERATOR, "generator requests", m -> generate(m, latent));
    }

    private Answers.GeneratedDigits generate(LoadedModel m, List<float[]> latent) {
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
        float[][] out = run(m, z, count);
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

    /**
     * Runs one dummy batch of the declared input shape, so the first user request does not pay for
     * workspace allocation and JIT warm-up. Idempotent.
     */
    public void warmUp(String model, int version) {
        LoadedModel m = registry.get(model, version);
        if (warm.contains(key(m))) {
            return;
        }
        ModelDescriptor.InputSchema input = m.descriptor().input();
        run(m, new float[2 * inputWidth(input)], 2);
        warm.add(key(m));
    }

    /** Whether {@link #warmUp} has run for this version. */
    public boolean isWarm(String model, int version) {
        return warm.contains(model + "@" + version);
    }

    private static String key(LoadedModel m) {
        return m.name() + "@" + m.version();
    }

    /** Resolves the model, runs {@code work} and records the call's time and outcome. */
    private <T> T observed(String model, Integer version, ModelKind kind, String what, Function<LoadedModel, T> work) {
        long start = System.nanoTime();
        String name = Rejections.UNKNOWN;
        String ver = Rejections.UNKNOWN;
        String outcome = "error";
        try {
            LoadedModel m = require(model, version, kind, what);
            name = m.name();
            ver = Integer.toString(m.version());
            T result = work.apply(m);
            outcome = "success";
            return result;
        } catch (ModelNotFoundException e) {
            outcome = "not_found";
            metrics.rejected(outcome, name, ver);
            throw e;
        } catch (InvalidInputException | UnreadableImageException | UnsupportedInputException
                | NoDigitFoundException e) {
            outcome = "bad_input";
            metrics.rejected(outcome, name, ver);
            if (e instanceof InvalidInputException invalid) {
                invalid.markCounted();
            }
            throw e;
        } catch (ServiceBusyException e) {
            outcome = "queue_full";
            metrics.rejected(outcome, name, ver);
            throw e;
        } finally {
            metrics.request(name, ver, outcome, System.nanoTime() - start);
        }
    }

    /** Runs {@code rows} inputs, flat and row by row, through the version's batch queue. */
    private float[][] run(LoadedModel m, float[] flat, int rows) {
        if (retired.contains(key(m))) {
            throw new ModelNotFoundException("Version " + m.version() + " of '" + m.name() + "' was just deleted.");
        }
        Integer degree = m.descriptor().input().polynomialDegree();
        float[] input = degree == null ? flat : polynomial(flat, degree);
        BatchQueue queue = queues.computeIfAbsent(key(m), key -> {
            String v = Integer.toString(m.version());
            BatchQueue q = new BatchQueue(key, m.network(), m.normalizer(), networkWidth(m.descriptor().input()),
                    batching.forModel(m.name(), properties.workersPerModel()), MAX_WAIT_MILLIS, metrics.queue(m.name(), v),
                    metrics.forward(m.name(), v), metrics.batchSize(m.name(), v));
            metrics.queueDepth(m.name(), v, q, BatchQueue::depth);
            return q;
        });
        return queue.run(input, rows);
    }

    private LoadedModel require(String model, Integer version, ModelKind kind, String what) {
        LoadedModel m = registry.get(model, version);
        if (kind != null && m.descriptor().kind() != kind) {
            throw new UnsupportedInputException("Model '" + m.name() + "' is " + withArticle(m.descriptor().kind().wireName())
                    + " and does not take " + what + ". Send them to " + withArticle(kind.wireName()) + " instead.");
        }
        return m;
    }

    /** "an image-classifier", "a tabular-classifier". */
    static String withArticle(String noun) {
        return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
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

    /** The indices of the {@code k} largest scores, largest first; the lower index first among equals. */
    public static int[] topIndices(float[] scores, int k) {
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

    private static float[] flatten(List<float[]> rows, int width) {
        if (rows.size() == 1 && rows.get(0).length == width) {
            return rows.get(0);
        }
        float[] flat = new float[rows.size() * width];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, flat, r * width, width);
        }
        return flat;
    }
}
