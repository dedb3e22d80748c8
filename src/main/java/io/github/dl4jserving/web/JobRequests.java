package io.github.dl4jserving.web;

import io.github.dl4jserving.training.InvalidHyperparameterException;
import io.github.dl4jserving.training.TrainerInfo;
import java.util.List;
import java.util.Map;

/** Reads the body of {@code POST /jobs}, naming a misspelt or mistyped field and what it may mean. */
final class JobRequests {
    private JobRequests() {}

    private static final List<String> JOB_FIELDS =
            List.of("model", "dataset", "hyperparameters", "promote", "name", "resumeFrom");

    /**
     * The request, its fields checked by name and type: a misspelt field would otherwise be dropped
     * silently, and the job refused for a reason that hides it ("no trainer for ''").
     */
    static TrainingController.JobRequest parse(Map<String, Object> body, List<TrainerInfo> trainers) {
        for (String key : body.keySet()) {
            if (!JOB_FIELDS.contains(key)) {
                String near = JOB_FIELDS.stream()
                        .filter(f -> editDistance(f.toLowerCase(), key.toLowerCase()) <= 2)
                        .findFirst()
                        .map(f -> " Did you mean '" + f + "'?")
                        .orElse("");
                throw new InvalidHyperparameterException(
                        shorten(key),
                        "Unknown field '" + shorten(key) + "'." + near + " A job takes " + JOB_FIELDS
                                + ", for example {\"model\": \"mnist-softmax\", \"hyperparameters\": {\"epochs\": 1}}.");
            }
        }
        Object hyper = body.get("hyperparameters");
        if (hyper != null && !(hyper instanceof Map)) {
            throw new InvalidHyperparameterException(
                    "hyperparameters", "'hyperparameters' must be a JSON object such as {\"epochs\": 1}.");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> hyperparameters = (Map<String, Object>) hyper;
        TrainingController.JobRequest request = new TrainingController.JobRequest(
                text(body, "model"),
                text(body, "dataset"),
                hyperparameters,
                text(body, "promote"),
                text(body, "name"),
                text(body, "resumeFrom"));
        if (request.model() == null && request.resumeFrom() == null) {
            throw new InvalidHyperparameterException(
                    "model",
                    "Name the model to train with 'model': one of "
                            + trainers.stream().map(TrainerInfo::model).toList()
                            + " (GET /trainers lists their hyperparameters and data sets).");
        }
        return request;
    }

    private static String text(Map<String, Object> body, String field) {
        Object v = body.get(field);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new InvalidHyperparameterException(field, "'" + field + "' must be a string.");
    }

    private static String shorten(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }

    /** Levenshtein distance, for a misspelt field's likely meaning. */
    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
