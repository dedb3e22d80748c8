package io.github.dl4jserving.inference;

import io.github.dl4jserving.datasets.DigitImages;
import io.github.dl4jserving.registry.ModelKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the JSON request forms (already parsed into maps, lists, numbers and strings): images as
 * base64 or pixel arrays, table rows, latent vectors, singly or under {@code instances}.
 */
final class JsonRequests {
    /** The fields a generator request may hold. */
    static final Set<String> GENERATOR_FIELDS = new TreeSet<>(List.of("count", "seed", "z", "interpolate", "model"));

    private JsonRequests() {}

    /** What kind of model the body is meant for, judged from its fields. */
    static ModelKind guessKind(Map<?, ?> body) {
        if (body.containsKey("image") || body.containsKey("pixels")) {
            return ModelKind.IMAGE_CLASSIFIER;
        }
        if (body.containsKey("features")) {
            return ModelKind.TABULAR_CLASSIFIER;
        }
        if (body.containsKey("z")
                || body.containsKey("count")
                || body.containsKey("seed")
                || body.containsKey("interpolate")) {
            return ModelKind.IMAGE_GENERATOR;
        }
        if (body.get("instances") instanceof List<?> list && !list.isEmpty()) {
            Object first = list.get(0);
            if (first instanceof String) {
                return ModelKind.IMAGE_CLASSIFIER;
            }
            if (first instanceof Map<?, ?> m) {
                return m.containsKey("image") || m.containsKey("pixels")
                        ? ModelKind.IMAGE_CLASSIFIER
                        : ModelKind.TABULAR_CLASSIFIER;
            }
            if (first instanceof List<?> l) {
                return l.size() == DigitImages.PIXELS || (l.size() == 28 && l.get(0) instanceof List)
                        ? ModelKind.IMAGE_CLASSIFIER
                        : ModelKind.TABULAR_CLASSIFIER;
            }
        }
        throw new InvalidInputException(
                "body",
                "Cannot tell what the JSON body holds. Send {\"image\": \"<base64>\"}, "
                        + "{\"pixels\": [784 numbers]}, {\"features\": {...}} or {\"instances\": [...]}, or name the model "
                        + "with ?model= or /predict/{model}.");
    }

    /** The image inputs of the body, each an encoded file or a pixel array. */
    static List<ImageInput> images(Map<?, ?> body) {
        List<ImageInput> out = new ArrayList<>();
        if (body.containsKey("instances")) {
            List<?> instances = JsonValues.list(body.get("instances"), "instances");
            for (int i = 0; i < instances.size(); i++) {
                String field = "instances[" + i + "]";
                Object item = instances.get(i);
                if (item instanceof Map<?, ?> m) {
                    out.add(single(m, field));
                } else if (item instanceof String s) {
                    out.add(ImageInput.file(JsonValues.base64(s, field)));
                } else {
                    out.add(ImageInput.pixels(pixels(item, field)));
                }
            }
            return out;
        }
        out.add(single(body, "body"));
        return out;
    }

    private static ImageInput single(Map<?, ?> m, String field) {
        String prefix = field.equals("body") ? "" : field + ".";
        if (m.get("image") != null) {
            if (!(m.get("image") instanceof String s)) {
                throw new InvalidInputException(prefix + "image", prefix + "image must be a base64 string.");
            }
            return ImageInput.file(JsonValues.base64(s, prefix + "image"));
        }
        if (m.containsKey("pixels")) {
            return ImageInput.pixels(pixels(m.get("pixels"), prefix + "pixels"));
        }
        throw new InvalidInputException(
                field, field + " needs an \"image\" (base64) or \"pixels\" (784 numbers) field.");
    }

    /** 784 grey levels from 0 to 255, given flat or as 28 rows of 28. */
    static float[] pixels(Object value, String field) {
        List<?> rows = JsonValues.list(value, field);
        float[] out = new float[DigitImages.PIXELS];
        if (rows.size() == DigitImages.PIXELS) {
            for (int i = 0; i < DigitImages.PIXELS; i++) {
                out[i] = level(rows.get(i), field + "[" + i + "]");
            }
            return out;
        }
        if (rows.size() == 28) {
            for (int r = 0; r < 28; r++) {
                List<?> row = JsonValues.list(rows.get(r), field + "[" + r + "]");
                if (row.size() != 28) {
                    throw new InvalidInputException(
                            field + "[" + r + "]",
                            field + "[" + r + "] has " + row.size() + " values; each of the 28 rows needs 28.");
                }
                for (int c = 0; c < 28; c++) {
                    out[r * 28 + c] = level(row.get(c), field + "[" + r + "][" + c + "]");
                }
            }
            return out;
        }
        throw new InvalidInputException(
                field,
                field + " has " + rows.size() + " values; send 784 grey levels "
                        + "(0 to 255, row by row) or 28 rows of 28.");
    }

    private static float level(Object v, String field) {
        double d = JsonValues.number(v, field);
        if (d < 0 || d > 255) {
            throw new InvalidInputException(field, field + " is " + d + "; grey levels go from 0 to 255.");
        }
        return (float) d;
    }

    /** The table rows of the body: {@code features} for one, {@code instances} for several. */
    static List<Object> rows(Map<?, ?> body) {
        List<Object> out = new ArrayList<>();
        if (body.containsKey("instances")) {
            List<?> instances = JsonValues.list(body.get("instances"), "instances");
            for (Object item : instances) {
                out.add(item instanceof Map<?, ?> m && m.containsKey("features") ? m.get("features") : item);
            }
            return out;
        }
        if (!body.containsKey("features")) {
            throw new InvalidInputException(
                    "features",
                    "Send the row as {\"features\": {\"name\": value, ...}} or "
                            + "{\"features\": [values in order]}, or several as {\"instances\": [...]}.");
        }
        out.add(body.get("features"));
        return out;
    }

    static String rowField(Map<?, ?> body, int i) {
        return body.containsKey("instances") ? "instances[" + i + "]" : "features";
    }

    /** Latent vectors under {@code z}: one array of numbers or an array of them. */
    static List<float[]> latent(Object value) {
        List<?> z = JsonValues.list(value, "z");
        if (!z.isEmpty() && !(z.get(0) instanceof List)) {
            z = List.of(z);
        }
        List<float[]> out = new ArrayList<>();
        for (int r = 0; r < z.size(); r++) {
            List<?> row = JsonValues.list(z.get(r), "z[" + r + "]");
            float[] v = new float[row.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = JsonValues.floatNumber(row.get(i), "z[" + r + "][" + i + "]");
            }
            out.add(v);
        }
        return out;
    }
}
