package io.github.dl4jserving.inference;

import io.github.dl4jserving.datasets.DatasetSettings;
import io.github.dl4jserving.datasets.DigitImages;
import io.github.dl4jserving.inference.internal.InferenceMetrics;
import io.github.dl4jserving.inference.internal.InferenceTracing;
import io.github.dl4jserving.inference.internal.ModelContract;
import io.github.dl4jserving.inference.internal.VersionQueues;
import io.github.dl4jserving.platform.Rejections;
import io.github.dl4jserving.platform.ServiceException;
import io.github.dl4jserving.registry.LoadedModel;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelKind;
import io.github.dl4jserving.registry.ModelLease;
import io.github.dl4jserving.registry.ModelRegistry;
import io.github.dl4jserving.registry.RegistryEvent;
import io.github.dl4jserving.registry.VersionState;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.function.Function;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * The inference API. Inputs are decoded and validated on the caller's thread, then each request's
 * inputs join the model version's batch queue, where they may share a forward pass with others.
 * Each call resolves its model version once, and every later step uses that version; its time and
 * outcome are recorded per model and version.
 */
@Service
public class InferenceService {
    private final ModelRegistry registry;
    private final InferenceSettings settings;
    private final InferenceMetrics metrics;
    private final VersionQueues versions;
    private final ImageAnswers images;
    private final TabularAnswers tables;
    private final GeneratorAnswers generators;
    private final JsonRoutes jsonRoutes;
    private final TensorAnswers tensors;

    /**
     * Wires the service's own parts (per-kind answers, JSON routing) on the collaborators the module's
     * configuration builds: the version queues with their lifecycle thread, the metrics, the tracing.
     */
    public InferenceService(
            ModelRegistry registry,
            InferenceSettings settings,
            DatasetSettings datasets,
            VersionQueues versions,
            InferenceMetrics metrics,
            InferenceTracing tracing) {
        this.registry = registry;
        this.settings = settings;
        this.metrics = metrics;
        this.versions = versions;
        this.images = new ImageAnswers(
                versions,
                new DigitImages(datasets.maxImageDimension(), datasets.maxRequestPixels()),
                settings.maxBatch(),
                tracing);
        this.tables = new TabularAnswers(versions, settings.maxBatch());
        this.generators = new GeneratorAnswers(versions, settings.maxBatch());
        this.jsonRoutes = new JsonRoutes(this, settings);
        this.tensors = new TensorAnswers(versions, images, settings.maxBatch());
    }

    /**
     * The registry's changes: a new default is warmed up and a retired version released, both on the
     * inference module's own lifecycle thread.
     */
    @EventListener
    public void on(RegistryEvent event) {
        versions.on(event);
    }

    /**
     * Warms the default version of every model the registry loaded; the service calls it before the
     * web server opens ({@link io.github.dl4jserving.platform.LifecyclePhases#INFERENCE}). Later
     * versions warm up on the lifecycle thread as their events arrive.
     */
    public void warmUpDefaults() {
        versions.warmUpDefaults();
    }

    /** Checks that a candidate version keeps its descriptor's promises; used before an upload is accepted. */
    public void validate(LoadedModel candidate) {
        ModelContract.validate(candidate);
    }

    /** Whether the version has run its warm-up batch. */
    public boolean isWarm(String model, int version) {
        return versions.isWarm(model, version);
    }

    /**
     * Loads {@code version} of {@code model} (its default when null) unless it is in memory, and runs
     * its warm-up batch, so that it is ready when this returns; its memory state after.
     */
    public VersionState load(String model, Integer version) {
        int v = registry.describe(model, version).version();
        try (ModelLease lease = registry.lease(model, v)) {
            versions.warmUp(lease.model());
        }
        return registry.listing(model).stream()
                .filter(s -> s.descriptor().version() == v)
                .findFirst()
                .orElseThrow();
    }

    /** The descriptor of the version a request to {@code model} and {@code version} would use. */
    public ModelDescriptor describe(String model, Integer version) {
        return registry.describe(model, version);
    }

    /**
     * A model version's tensor view for the Open Inference Protocol: its input and output widths and
     * every version of it; nothing is loaded for it.
     */
    public Answers.TensorModel tensorModel(String model, Integer version) {
        ModelDescriptor d = registry.describe(model, version);
        return new Answers.TensorModel(
                d.name(),
                d.version(),
                d.kind(),
                registry.listing(d.name()).stream()
                        .map(v -> v.descriptor().version())
                        .toList(),
                ModelContract.inputWidth(d.input()),
                ModelContract.outputWidth(d));
    }

    /**
     * Answers a JSON {@code /predict} body: the model named by {@code model} (or the body's
     * {@code "model"} field) or, without one, the default model of the kind the body's fields suggest.
     * Returns the answer record of that kind: {@link Answers.GeneratedDigits} for a generator, which
     * the caller encodes as it likes.
     */
    public Object predictJson(String model, Integer version, Object body, Integer k, double threshold) {
        return jsonRoutes.predict(model, version, body, k, threshold);
    }

    /** Decodes, prepares and classifies images of digits, one prediction per image, in order. */
    public Answers.Classification classifyImages(String model, Integer version, List<ImageInput> inputs, Integer k) {
        return observed(model, version, ModelKind.IMAGE_CLASSIFIER, "images", m -> images.classify(m, inputs, k));
    }

    /**
     * Runs one Open Inference Protocol input tensor through {@code model}, as its REST and gRPC forms
     * both do: numbers as rows of the model's input width, or encoded images prepared as for
     * /predict. The model's normalizer and declared feature ranges apply as for every other request.
     */
    public Answers.TensorOutput inferTensor(String model, Integer version, TensorRequest request, Protocol protocol) {
        return observed(model, version, null, "tensors", protocol, m -> tensors.answer(m, request));
    }

    /** What an image classifier sees of {@code file}: the prepared 28x28 digit, white ink on black. */
    public BufferedImage prepareImage(byte[] file) {
        return GreyImages.of(images.prepare(List.of(file)), 0f, 1f);
    }

    /**
     * Classifies table rows given as JSON values (objects of feature name to number, or ordered
     * arrays); {@code fields} names each row in error messages.
     */
    public Answers.TabularClassification classifyRows(
            String model, Integer version, List<?> rows, List<String> fields, double threshold) {
        return observed(
                model,
                version,
                ModelKind.TABULAR_CLASSIFIER,
                "table rows",
                m -> tables.classify(m, tables.fromJson(m, rows, fields), threshold));
    }

    /** Classifies the rows of a CSV text whose header names the features. */
    public Answers.TabularClassification classifyCsv(String model, Integer version, String csv, double threshold) {
        return observed(
                model,
                version,
                ModelKind.TABULAR_CLASSIFIER,
                "table rows",
                m -> tables.classify(m, tables.fromCsv(m, csv), threshold));
    }

    /** Predicts a value for each table row given as JSON values, as {@link #classifyRows} reads them. */
    public Answers.Regression regressRows(String model, Integer version, List<?> rows, List<String> fields) {
        return observed(
                model,
                version,
                ModelKind.TABULAR_REGRESSOR,
                "table rows",
                m -> tables.regress(m, tables.fromJson(m, rows, fields)));
    }

    /** Predicts a value for each row of a CSV text whose header names the features. */
    public Answers.Regression regressCsv(String model, Integer version, String csv) {
        return observed(
                model,
                version,
                ModelKind.TABULAR_REGRESSOR,
                "table rows",
                m -> tables.regress(m, tables.fromCsv(m, csv)));
    }

    /** {@code count} digits from latent vectors drawn with {@code seed}: the same seed, the same digits. */
    public Answers.GeneratedDigits generate(String model, Integer version, int count, long seed) {
        return observed(
                model,
                version,
                ModelKind.IMAGE_GENERATOR,
                "generator requests",
                m -> generators.fromSeed(m, count, seed));
    }

    /** Digits from explicit latent vectors, each of the model's latent dimension. */
    /** The frames of a latent walk between two seeds or latent vectors ({@code interpolate}). */
    public Answers.GeneratedDigits interpolate(String model, Integer version, Object walk) {
        return observed(model, version, ModelKind.IMAGE_GENERATOR, "generator requests", m -> generators.walk(m, walk));
    }

    public Answers.GeneratedDigits generate(String model, Integer version, List<float[]> latent) {
        return observed(
                model, version, ModelKind.IMAGE_GENERATOR, "generator requests", m -> generators.fromLatent(m, latent));
    }

    /** Resolves the model, runs {@code work} and records the call's time and outcome. */
    private <T> T observed(String model, Integer version, ModelKind kind, String what, Function<LoadedModel, T> work) {
        return observed(model, version, kind, what, Protocol.HTTP, work);
    }

    private <T> T observed(
            String model,
            Integer version,
            ModelKind kind,
            String what,
            Protocol protocol,
            Function<LoadedModel, T> work) {
        long start = System.nanoTime();
        String name = Rejections.UNKNOWN;
        String ver = Rejections.UNKNOWN;
        String outcome = "error";
        try {
            ModelDescriptor d = require(model, version, kind, what);
            name = d.name();
            ver = Integer.toString(d.version());
            try (ModelLease lease = registry.lease(d.name(), d.version())) {
                T result = work.apply(lease.model());
                outcome = "success";
                return result;
            }
        } catch (ServiceException e) {
            e.refusedBy(name, ver);
            outcome = e.rejection() == null ? "error" : e.rejection().tag();
            throw e;
        } finally {
            metrics.request(name, ver, outcome, protocol.tag(), System.nanoTime() - start);
        }
    }

    /** The version a request names, checked to be of {@code kind}; it is not loaded for that. */
    private ModelDescriptor require(String model, Integer version, ModelKind kind, String what) {
        ModelDescriptor d = registry.describe(model, version);
        if (kind != null && d.kind() != kind) {
            throw new UnsupportedInputException("Model '" + d.name() + "' is "
                    + withArticle(d.kind().wireName()) + " and does not take " + what + ". Send them to "
                    + withArticle(kind.wireName()) + " instead.");
        }
        return d;
    }

    /** "an image-classifier", "a tabular-classifier". */
    static String withArticle(String noun) {
        return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }
}
