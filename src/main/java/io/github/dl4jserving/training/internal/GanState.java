package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.training.TrainingJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where a GAN training stands, saved as {@code state.json} beside the two networks of a
 * checkpoint: the position in the data (epoch and next image; each epoch's order is a function of
 * the seed), the counters, the running loss sums of the epoch, ND4J's random state (noise and
 * dropout), the epochs finished, the hyperparameters a resumed run must share, and the iteration
 * the generator's weights began to be averaged at ({@link GeneratorAverage}; null in checkpoints
 * written before runs averaged them), and the share of its digits the generator learns from
 * ({@link #generatorKeep}; null, all of them, in checkpoints written before it could be less).
 */
record GanState(
        int format,
        long seed,
        int batchSize,
        double learningRate,
        int examples,
        DcganNetworks.Upsampling upsampling,
        int epoch,
        int from,
        long iteration,
        long imagesSeen,
        int epochsDone,
        long trainingNanos,
        double dSum,
        double gSum,
        int batches,
        double dLoss,
        double gLoss,
        long randomRoot,
        long randomNode,
        List<TrainingJob.EpochStats> history,
        Long averageFrom,
        List<SettingChange> rateChanges,
        Double topFraction) {
    static final int FORMAT = 1;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    GanState {
        // checkpoints written before the generator could upsample otherwise, or the rate change
        upsampling = upsampling == null ? DcganNetworks.Upsampling.TRANSPOSED : upsampling;
        rateChanges = rateChanges == null ? List.of() : List.copyOf(rateChanges);
        topFraction = topFraction == null ? 1.0 : topFraction;
    }

    /**
     * The run goes on at {@code rate}, its generator learning from the share {@code top} of its
     * digits, from here: Adam keeps its moments, and the change is recorded.
     */
    GanState withSettings(double rate, double top) {
        List<SettingChange> changes = new ArrayList<>(rateChanges);
        changes.add(new SettingChange(iteration, rate, top));
        return with(rate, top, randomRoot, randomNode, changes);
    }

    /**
     * How many of a batch's generated digits the generator learns from: those the discriminator
     * rates most real (top-k training, Sinha et al. 2020), all of them at a fraction of 1.
     */
    int generatorKeep() {
        return (int) Math.max(1, Math.round(topFraction * batchSize));
    }

    static GanState start(
            long seed,
            int batchSize,
            double learningRate,
            int examples,
            DcganNetworks.Upsampling upsampling,
            double topFraction) {
        return new GanState(
                FORMAT,
                seed,
                batchSize,
                learningRate,
                examples,
                upsampling,
                1,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                List.of(),
                0L,
                List.of(),
                topFraction);
    }

    GanState at(
            int epoch,
            int from,
            long iteration,
            long imagesSeen,
            long trainingNanos,
            double dSum,
            double gSum,
            int batches,
            double dLoss,
            double gLoss) {
        return new GanState(
                format,
                seed,
                batchSize,
                learningRate,
                examples,
                upsampling,
                epoch,
                from,
                iteration,
                imagesSeen,
                epochsDone,
                trainingNanos,
                dSum,
                gSum,
                batches,
                dLoss,
                gLoss,
                randomRoot,
                randomNode,
                history,
                averagingSince(), // a run resumed from before averaging averages from there on
                rateChanges,
                topFraction);
    }

    /** Epoch {@code done} finished with this mean loss and these metrics; the next starts at its first image. */
    GanState epochDone(int done, double trainingLoss, Map<String, Double> validation) {
        List<TrainingJob.EpochStats> h = new ArrayList<>(history);
        double before =
                history.stream().mapToDouble(TrainingJob.EpochStats::seconds).sum();
        h.add(new TrainingJob.EpochStats(done, trainingLoss, Map.copyOf(validation), trainingNanos / 1e9 - before));
        return new GanState(
                format,
                seed,
                batchSize,
                learningRate,
                examples,
                upsampling,
                done + 1,
                0,
                iteration,
                imagesSeen,
                done,
                trainingNanos,
                0,
                0,
                0,
                dLoss,
                gLoss,
                randomRoot,
                randomNode,
                List.copyOf(h),
                averageFrom,
                rateChanges,
                topFraction);
    }

    /** The hyperparameters in force, and the method's fixed choices, as a version's provenance records them. */
    Map<String, Object> provenance(int epochs, Duration budget, int scoredSamples) {
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("epochs", epochs);
        hyper.put("batchSize", batchSize);
        hyper.put("learningRate", learningRate);
        hyper.put("generatorTopFraction", topFraction);
        if (!rateChanges.isEmpty()) {
            hyper.put("settingChanges", rateChanges); // the rate and fraction above are the last ones
        }
        hyper.put("optimizer", "adam");
        hyper.put("loss", "binary cross-entropy on the discriminator's logit (sigmoid + XENT)");
        hyper.put("labelSmoothing", 0.0);
        hyper.put("discriminatorStepsPerGeneratorStep", 1);
        hyper.put("generatorFirstLayer", "5x5 convolution, stride 1, 'same' (equals the transposed one)");
        hyper.put("generatorUpsampling", upsampling.name().toLowerCase(Locale.ROOT));
        hyper.put("timeBudgetSeconds", budget.toSeconds());
        hyper.put("examples", examples);
        hyper.put("scoredSamples", scoredSamples);
        hyper.put("latentDimension", DcganRun.LATENT);
        hyper.put("servedGenerator", "exponential moving average of the weights, bias-corrected");
        hyper.put("generatorAverageDecay", GeneratorAverage.DECAY);
        hyper.put("generatorAveragedSince", averagingSince());
        return hyper;
    }

    /** The iteration the generator's average began at: this one for a checkpoint of a run that did not average. */
    long averagingSince() {
        return averageFrom == null ? iteration : averageFrom;
    }

    /** Whether the last finished epoch has the lowest Fréchet distance of the run so far. */
    boolean bestSoFar() {
        double last = frechet(history.get(history.size() - 1));
        return history.stream().allMatch(e -> frechet(e) >= last);
    }

    private static double frechet(TrainingJob.EpochStats epoch) {
        Double d = epoch.validation().get("frechet_distance");
        return d == null ? Double.MAX_VALUE : d;
    }

    GanState withRandom(long root, long node) {
        return with(learningRate, topFraction, root, node, rateChanges);
    }

    /** This state with other settings, random state and record of their changes. */
    private GanState with(double rate, double top, long root, long node, List<SettingChange> changes) {
        return new GanState(
                format,
                seed,
                batchSize,
                rate,
                examples,
                upsampling,
                epoch,
                from,
                iteration,
                imagesSeen,
                epochsDone,
                trainingNanos,
                dSum,
                gSum,
                batches,
                dLoss,
                gLoss,
                root,
                node,
                history,
                averageFrom,
                changes,
                top);
    }

    /**
     * The state of checkpoint {@code from}, for a run with these options: refused if they differ but
     * for the learning rate and the generator's top fraction, which go on at the values given from here.
     */
    static GanState forResume(Path from, long seed, int batchSize, double learningRate, int examples, double top)
            throws IOException {
        GanState state = read(from);
        state.checkSame(seed, batchSize, examples);
        return state.learningRate == learningRate && state.topFraction == top
                ? state
                : state.withSettings(learningRate, top);
    }

    /**
     * Refuses to continue a run with another seed, batch size or set of images: the result would
     * match neither run. The learning rate may change ({@link #withSettings}), as a schedule's would.
     */
    void checkSame(long seed, int batchSize, int examples) {
        if (this.seed != seed || this.batchSize != batchSize || this.examples != examples) {
            throw new IllegalArgumentException(String.format(
                    "The checkpoint was trained with seed %d, batchSize %d and examples %d; "
                            + "resume with the same values (given: %d, %d, %d).",
                    this.seed, this.batchSize, this.examples, seed, batchSize, examples));
        }
    }

    void write(Path checkpoint) throws IOException {
        Files.write(
                checkpoint.resolve("state.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
    }

    static GanState read(Path checkpoint) throws IOException {
        try {
            GanState state = JSON.readValue(checkpoint.resolve("state.json").toFile(), GanState.class);
            if (state.format() != FORMAT) {
                throw new IOException("Checkpoint " + checkpoint.getFileName() + " has format " + state.format()
                        + "; this version reads format " + FORMAT + ".");
            }
            return state;
        } catch (JacksonException e) {
            throw new IOException("Checkpoint " + checkpoint.getFileName() + " has an unreadable state.json.", e);
        }
    }
}
