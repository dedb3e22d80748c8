package io.github.dl4jserving.registry.internal;

import io.github.dl4jserving.registry.InvalidModelException;
import io.github.dl4jserving.registry.ModelDescriptor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code model.json}: read strictly from disk (unknown fields and missing numbers are errors), read
 * a little more leniently from an upload (the version and provenance numbers may be left out), and
 * written indented. Errors name the field at fault, never a Java class.
 */
public final class DescriptorJson {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** For descriptors sent with an upload: the version and the provenance numbers may be left out. */
    private static final JsonMapper UPLOAD_JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private DescriptorJson() {}

    static ModelDescriptor read(Path file) throws IOException {
        try {
            return JSON.readValue(file.toFile(), ModelDescriptor.class);
        } catch (JacksonException e) {
            throw new IOException(
                    "model.json in " + file.getParent() + " is not a valid descriptor: " + describe(e), e);
        }
    }

    /** Parses a descriptor sent by a client; unknown fields are refused as they are on disk. */
    public static ModelDescriptor parseUpload(String json) {
        try {
            JsonNode root = UPLOAD_JSON.readTree(json);
            checkFeatureNumbers(root);
            checkText(root, "");
            ModelDescriptor parsed = UPLOAD_JSON.readValue(json, ModelDescriptor.class);
            if (parsed == null) {
                throw new InvalidModelException("The descriptor is not valid model.json content: send a JSON object.");
            }
            ModelDescriptor.Provenance p = parsed.provenance();
            if (p != null) {
                for (String[] required : new String[][] {{"dataset", p.dataset()}, {"trainer", p.trainer()}}) {
                    if (required[1] == null || required[1].isBlank()) {
                        throw new InvalidModelException(
                                "provenance." + required[0],
                                "The descriptor's provenance needs '" + required[0] + "' (what the model was "
                                        + (required[0].equals("dataset") ? "trained on" : "trained by")
                                        + "), or leave the provenance out.");
                    }
                }
            }
            return parsed;
        } catch (JacksonException e) {
            throw new InvalidModelException(field(e), "The descriptor is not valid model.json content: " + describe(e));
        }
    }

    /**
     * The upload mapper lets the provenance's numbers be left out, which would also read a feature's
     * {@code "min": null} or a missing {@code max} as 0. A feature's range must be given, as numbers.
     */
    private static void checkFeatureNumbers(JsonNode root) {
        JsonNode features = root == null ? null : root.path("input").path("features");
        if (features == null || !features.isArray()) {
            return;
        }
        for (int i = 0; i < features.size(); i++) {
            for (String bound : new String[] {"min", "max"}) {
                JsonNode v = features.get(i).get(bound);
                if (v == null || !v.isNumber()) {
                    String field = "input.features[" + i + "]." + bound;
                    throw new InvalidModelException(field, "The descriptor's '" + field + "' must be a number.");
                }
            }
        }
    }

    /** The longest {@code description}; every other string of a descriptor is shorter still. */
    static final int MAX_DESCRIPTION = 2_000;

    static final int MAX_STRING = 256;
    /** The most members of one object or elements of one array (labels, features, metrics). */
    static final int MAX_ITEMS = 10_000;

    /**
     * Every string of an uploaded descriptor, keys included, is what {@code GET /models} later shows to
     * anyone: bounded in length and in count, valid UTF-16 (a lone surrogate cannot be written as
     * UTF-8), and free of Unicode format characters (category Cf: the right-to-left override that makes
     * a label read backwards, zero-width spaces that make two labels look alike).
     */
    private static void checkText(JsonNode node, String field) {
        if (node == null) {
            return;
        }
        if (node.isString()) {
            checkString(node.asString(), field, field.equals("description") ? MAX_DESCRIPTION : MAX_STRING);
        } else if (node.isObject()) {
            if (node.size() > MAX_ITEMS) {
                throw new InvalidModelException(field, "'" + field + "' has more than " + MAX_ITEMS + " fields.");
            }
            for (var e : node.properties()) {
                String child = field.isEmpty() ? e.getKey() : field + "." + e.getKey();
                checkString(e.getKey(), field.isEmpty() ? "descriptor" : field, MAX_STRING);
                checkText(e.getValue(), child);
            }
        } else if (node.isArray()) {
            if (node.size() > MAX_ITEMS) {
                throw new InvalidModelException(field, "'" + field + "' has more than " + MAX_ITEMS + " elements.");
            }
            for (int i = 0; i < node.size(); i++) {
                checkText(node.get(i), field + "[" + i + "]");
            }
        }
    }

    private static void checkString(String s, String field, int max) {
        if (s.length() > max) {
            throw new InvalidModelException(
                    field, "'" + field + "' is " + s.length() + " characters long; at most " + max + " are accepted.");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = s.codePointAt(i++);
                if (Character.getType(cp) == Character.FORMAT) {
                    throw formatCharacter(field, cp);
                }
            } else if (Character.isSurrogate(c)) {
                throw new InvalidModelException(
                        field,
                        "'" + field + "' holds an unpaired UTF-16 surrogate (\\u" + Integer.toHexString(c)
                                + "), which is not text. Send valid Unicode.");
            } else if (Character.getType(c) == Character.FORMAT) {
                throw formatCharacter(field, c);
            }
        }
    }

    private static InvalidModelException formatCharacter(String field, int cp) {
        return new InvalidModelException(
                field,
                "'" + field + "' holds the invisible formatting character U+"
                        + String.format("%04X", cp) + " (such as a right-to-left override or a zero-width "
                        + "space), which would make it display as something else. Remove it.");
    }

    static String write(ModelDescriptor descriptor) {
        return JSON.writeValueAsString(descriptor);
    }

    private static String path(JacksonException e) {
        return e.getPath().stream()
                .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    private static String field(JacksonException e) {
        String path = path(e);
        return path.isEmpty() ? "descriptor" : path;
    }

    /**
     * What is wrong with a descriptor, by field and position: Jackson's own messages name the Java
     * classes behind the JSON, which a client should not see.
     */
    static String describe(JacksonException e) {
        String field = path(e);
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown field '" + field + "' (accepted here: " + unknown.getKnownPropertyIds() + ")";
        }
        if (e instanceof StreamReadException && e.getLocation() != null) {
            return "not well-formed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
        }
        return field.isEmpty()
                ? "not a JSON object of the descriptor's fields"
                : "field '" + field + "' is missing or has a value of the wrong type";
    }
}
