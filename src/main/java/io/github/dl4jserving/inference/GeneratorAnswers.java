package io.github.dl4jserving.inference;

import io.github.dl4jserving.inference.internal.VersionQueues;
import io.github.dl4jserving.registry.LoadedModel;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Digits from a generator: latent vectors drawn from a seed, or given, and the outputs as grey images. */
final class GeneratorAnswers {
    private final VersionQueues queues;
    private final int maxBatch;

    GeneratorAnswers(VersionQueues queues, int maxBatch) {
        this.queues = queues;
        this.maxBatch = maxBatch;
    }

    /** {@code count} digits from standard normal latent vectors drawn with {@code seed}. */
    Answers.GeneratedDigits fromSeed(LoadedModel m, int count, long seed) {
        if (count < 1 || count > maxBatch) {
            throw new InvalidInputException("count", "count must be from 1 to " + maxBatch + ", not " + count + ".");
        }
        int dim = m.descriptor().input().latentDimension();
        Random random = new Random(seed);
        float[] z = new float[count * dim];
        for (int r = 0; r < count; r++) {
            System.arraycopy(latent(random, dim), 0, z, r * dim, dim);
        }
        return draw(m, z, count, seed);
    }

    /** The next standard normal latent vector from {@code random}. */
    static float[] latent(Random random, int dim) {
        float[] z = new float[dim];
        for (int i = 0; i < dim; i++) {
            z[i] = (float) random.nextGaussian();
        }
        return z;
    }

    /** The frames of a latent walk ({@link LatentWalk}). */
    Answers.GeneratedDigits walk(LoadedModel m, Object spec) {
        return fromLatent(m, LatentWalk.frames(spec, m.descriptor().input().latentDimension(), maxBatch));
    }

    /** Digits from explicit latent vectors, each of the model's latent dimension. */
    Answers.GeneratedDigits fromLatent(LoadedModel m, List<float[]> latent) {
        Batches.check(latent.size(), "latent vector", maxBatch);
        int dim = m.descriptor().input().latentDimension();
        float[] z = new float[latent.size() * dim];
        for (int r = 0; r < latent.size(); r++) {
            if (latent.get(r).length != dim) {
                throw new InvalidInputException(
                        "z[" + r + "]",
                        "z[" + r + "] has " + latent.get(r).length + " numbers; the generator takes " + dim + ".");
            }
            System.arraycopy(latent.get(r), 0, z, r * dim, dim);
        }
        return draw(m, z, latent.size(), null);
    }

    private Answers.GeneratedDigits draw(LoadedModel m, float[] z, int count, Long seed) {
        float[][] out = queues.run(m, z, count);
        List<BufferedImage> images = new ArrayList<>(count);
        for (float[] pixels : out) {
            images.add(GreyImages.of(pixels, -1f, 1f));
        }
        return new Answers.GeneratedDigits(m.name(), m.version(), seed, images);
    }
}
