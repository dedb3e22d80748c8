package io.github.dl4jserving.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A latent walk, {@code {"from": <seed or z>, "to": <seed or z>, "steps": N}}: N latent vectors from
 * one end to the other, both included, along the great circle between them (spherical
 * interpolation, as White's "Sampling Generative Networks" advises for Gaussian latents: a straight
 * line passes through vectors much shorter than any the generator was trained on). A seed stands for
 * the first vector of {@code {"seed": s}}, so a walk can start at a digit seen in a grid.
 */
final class LatentWalk {
    private static final Set<String> FIELDS = Set.of("from", "to", "steps");

    private LatentWalk() {}

    static List<float[]> frames(Object spec, int dim, int maxFrames) {
        if (!(spec instanceof Map<?, ?> walk)) {
            throw new InvalidInputException(
                    "interpolate",
                    "interpolate must be an object: {\"from\": seed or z, \"to\": seed or z, \"steps\": N}.");
        }
        for (Object key : walk.keySet()) {
            if (!FIELDS.contains(key)) {
                throw new InvalidInputException(
                        "interpolate." + key, "interpolate takes from, to and steps, not '" + key + "'.");
            }
        }
        float[] from = end(walk.get("from"), "interpolate.from", dim);
        float[] to = end(walk.get("to"), "interpolate.to", dim);
        long steps = walk.containsKey("steps")
                ? JsonValues.wholeNumber(walk.get("steps"), "interpolate.steps", Integer.MAX_VALUE)
                : 8;
        if (steps < 2 || steps > maxFrames) {
            throw new InvalidInputException(
                    "interpolate.steps",
                    "interpolate.steps must be from 2 to " + maxFrames + " (both ends included), not " + steps + ".");
        }
        List<float[]> frames = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            frames.add(slerp(from, to, i / (double) (steps - 1)));
        }
        return frames;
    }

    /** The first latent vector of a seed, as {@link GeneratorAnswers#fromSeed} draws it, or an explicit z. */
    private static float[] end(Object value, String field, int dim) {
        if (value == null) {
            throw new InvalidInputException(
                    field, field + " is missing: give a seed (a whole number) or z (" + dim + " numbers).");
        }
        if (value instanceof List<?> list) {
            if (list.size() != dim) {
                throw new InvalidInputException(
                        field, field + " has " + list.size() + " numbers; the generator takes " + dim + ".");
            }
            float[] z = new float[dim];
            for (int i = 0; i < dim; i++) {
                z[i] = JsonValues.floatNumber(list.get(i), field + "[" + i + "]");
            }
            return z;
        }
        long seed = JsonValues.wholeNumber(value, field, 1L << 53);
        return GeneratorAnswers.latent(new Random(seed), dim);
    }

    static float[] slerp(float[] a, float[] b, double t) {
        double na = norm(a);
        double nb = norm(b);
        double cos = 0;
        for (int i = 0; i < a.length; i++) {
            cos += a[i] * (double) b[i];
        }
        cos = na == 0 || nb == 0 ? 1 : Math.max(-1, Math.min(1, cos / (na * nb)));
        double omega = Math.acos(cos);
        double wa;
        double wb;
        if (Math.sin(omega) < 1e-6) { // (nearly) the same direction: a straight line is the same path
            wa = 1 - t;
            wb = t;
        } else {
            wa = Math.sin((1 - t) * omega) / Math.sin(omega);
            wb = Math.sin(t * omega) / Math.sin(omega);
        }
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) (wa * a[i] + wb * b[i]);
        }
        return out;
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * (double) x;
        }
        return Math.sqrt(s);
    }
}
