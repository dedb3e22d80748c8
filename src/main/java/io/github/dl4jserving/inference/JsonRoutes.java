package io.github.dl4jserving.inference;

import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelKind;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

/**
 * Routes a JSON {@code /predict} body: the model named by the request (or the body's {@code "model"}
 * field) or, without one, the default model of the kind the body's fields suggest; then the
 * {@link InferenceService} call for that kind.
 */
final class JsonRoutes {
    private final InferenceService inference;
    private final InferenceSettings settings;

    JsonRoutes(InferenceService inference, InferenceSettings settings) {
        this.inference = inference;
        this.settings = settings;
    }

    Object predict(String model, Integer version, Object body, Integer k, double threshold) {
        Map<?, ?> request = JsonValues.object(body);
        Object named = request.get("model");
        if (named != null && !(named instanceof String)) {
            throw new InvalidInputException("model", "model must be a string naming a model.");
        }
        String name = firstNonEmpty(model, (String) named);
        ModelKind kind;
        Integer resolved = version;
        if (name != null) {
            // Resolved once: the version whose kind chose the route is the one that answers.
            ModelDescriptor target = inference.describe(name, version);
            kind = target.kind();
            resolved = target.version();
        } else {
            kind = JsonRequests.guessKind(request);
        }
        if (kind == ModelKind.IMAGE_CLASSIFIER) {
            return inference.classifyImages(
                    firstNonEmpty(name, settings.defaultImageModel()), resolved, JsonRequests.images(request), k);
        }
        if (kind == ModelKind.IMAGE_GENERATOR) {
            return generator(firstNonEmpty(name, settings.defaultGeneratorModel()), resolved, request);
        }
        List<Object> rows = JsonRequests.rows(request);
        List<String> fields = IntStream.range(0, rows.size())
                .mapToObj(i -> JsonRequests.rowField(request, i))
                .toList();
        return kind == ModelKind.TABULAR_REGRESSOR
                ? inference.regressRows(name, resolved, rows, fields)
                : inference.classifyRows(
                        firstNonEmpty(name, settings.defaultTabularModel()), resolved, rows, fields, threshold);
    }

    private Answers.GeneratedDigits generator(String name, Integer version, Map<?, ?> request) {
        for (Object key : request.keySet()) {
            if (!JsonRequests.GENERATOR_FIELDS.contains(key)) {
                throw new InvalidInputException(
                        String.valueOf(key),
                        "A generator request takes "
                                + JsonRequests.GENERATOR_FIELDS + ", not '" + key + "'. Send images or table rows to a "
                                + "classifier.");
            }
        }
        if (request.containsKey("interpolate")) {
            for (String other : List.of("z", "count", "seed")) {
                if (request.containsKey(other)) {
                    throw new InvalidInputException(
                            other, "A latent walk takes its ends from interpolate; leave out '" + other + "'.");
                }
            }
            return inference.interpolate(name, version, request.get("interpolate"));
        }
        if (request.containsKey("z")) {
            return inference.generate(name, version, JsonRequests.latent(request.get("z")));
        }
        int count = request.containsKey("count")
                ? (int) JsonValues.wholeNumber(request.get("count"), "count", Integer.MAX_VALUE)
                : 16;
        long seed = request.containsKey("seed")
                ? JsonValues.wholeNumber(request.get("seed"), "seed", 1L << 53)
                : ThreadLocalRandom.current().nextLong(1L << 31);
        return inference.generate(name, version, count, seed);
    }

    private static String firstNonEmpty(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }
}
