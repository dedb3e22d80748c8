package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.datasets.DataDirectory;
import io.github.dl4jserving.datasets.DatasetFile;
import io.github.dl4jserving.datasets.MnistIdxReader;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelKind;
import io.github.dl4jserving.training.Hyperparameter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DCGAN of Radford et al. as in TensorFlow's MNIST tutorial. The generator is trained through
 * a stacked network (generator layers followed by the discriminator's, the latter frozen with a
 * no-op updater), whose discriminator half is refreshed from the discriminator after each of its updates.
 * The discriminator's last layer is a single sigmoid unit with binary cross-entropy, which is
 * binary cross-entropy on its logit. Only the generator is kept, as the moving average of its
 * weights ({@link GeneratorAverage}), which is also what each epoch's scores judge (the trained
 * weights' scores beside them, prefixed {@code unaveraged_}); training stops after the epochs or the
 * time budget, whichever comes first.
 */
public class MnistDcganTrainer implements Trainer {
    private static final Logger log = LoggerFactory.getLogger(MnistDcganTrainer.class);
    public static final int LATENT = 100;
    /** How a new run's generator upsamples; a resumed run keeps its checkpoint's. */
    static final DcganNetworks.Upsampling UPSAMPLING = DcganNetworks.Upsampling.RESIZE;

    @Override
    public String modelName() {
        return "mnist-dcgan";
    }

    @Override
    public ModelKind kind() {
        return ModelKind.IMAGE_GENERATOR;
    }

    @Override
    public String description() {
        return "DCGAN generator: z in R^100 (standard normal) to a 28x28 MNIST-like digit";
    }

    @Override
    public List<String> datasets() {
        return List.of("mnist");
    }

    @Override
    public List<Hyperparameter> hyperparameters() {
        return List.of(
                Hyperparameter.integer("epochs", 50, 1, 500, "passes over the training images, if time allows"),
                Hyperparameter.integer("batchSize", 64, 2, 1024, "real images per discriminator step"),
                Hyperparameter.number("learningRate", 1e-4, 1e-6, 1, "Adam rate, both networks"),
                Hyperparameter.integer("seed", 42, 0, Integer.MAX_VALUE, "weight init, noise, shuffling"),
                Hyperparameter.number(
                        "minutes", 20, 0.05, 14400, "stop after the iteration that passes this much training time"),
                Hyperparameter.integer(
                        "examples",
                        60000,
                        64,
                        60000,
                        "train on the first N training images (quick jobs: the judge then scores 2N generated "
                                + "digits, 256 to 1,000, instead of 2,000)"),
                Hyperparameter.number(
                        "checkpointMinutes", 10, 0.01, 1440, "the longest training time between two checkpoints"),
                Hyperparameter.number(
                        "generatorTopFraction",
                        1.0,
                        0.25,
                        1.0,
                        "the generator learns from this share of its digits, those the discriminator rates most "
                                + "real (top-k training); 1 = all"));
    }

    @Override
    public boolean resumable() {
        return true;
    }

    /** The discriminator's mean output on generated digits: 0.5 would mean it cannot tell them apart. */
    @Override
    public PrimaryMetric primaryMetric() {
        // The judge's scores: the discriminator's own opinion of its generator says little, and an
        // 8-iteration generator once beat a trained one on it.
        return new PrimaryMetric("frechet_distance", false);
    }

    @Override
    public List<PrimaryMetric> guardMetrics() {
        return List.of(new PrimaryMetric("inception_score", true));
    }

    @Override
    public TrainedModel train(TrainingData input, TrainingOptions options, TrainingProgress progress)
            throws IOException {
        DataDirectory data = input.directory();
        int epochs = options.epochs();
        int batchSize = options.batchSize();
        double learningRate = options.learningRate();
        double topFraction = options.generatorTopFraction();
        long seed = options.seed();
        Duration budget = options.timeBudget();

        MnistIdxReader.IdxImages train = MnistIdxReader.readImages(data.resolve(DatasetFile.MNIST_TRAIN_IMAGES));
        MnistIdxReader.IdxImages test = MnistIdxReader.readImages(data.resolve(DatasetFile.MNIST_TEST_IMAGES));
        int examples = Math.min(options.examples(), train.count());
        if (batchSize > examples) {
            throw new IllegalArgumentException(
                    "batchSize " + batchSize + " is larger than the " + examples + " training images used.");
        }
        GeneratorJudge judge = GeneratorJudge.forTestImages(data.resolve(DatasetFile.MNIST_TEST_IMAGES));
        INDArray gridNoise = DcganInputs.noise(seed + 11, 64);
        int scored = GeneratorJudge.samplesFor(examples, train.count());
        INDArray judgeNoise = DcganInputs.noise(seed + 13, scored);
        Checkpoints checkpoints = progress.checkpoints();
        Optional<Path> resume = checkpoints.resumePoint();

        DcganRun run;
        GanState state;
        if (resume.isPresent()) {
            Path from = resume.get();
            state = GanState.forResume(from, seed, batchSize, learningRate, examples, topFraction);
            run = DcganRun.resume(from, state, learningRate, batchSize);
            progress.resumed(state.epoch(), state.iteration(), state.history());
            log.info(
                    "mnist-dcgan resumes from {}: epoch {}, iteration {}, {} s trained, learning rate {}, top {}",
                    from.getFileName(),
                    state.epoch(),
                    state.iteration(),
                    state.trainingNanos() / 1_000_000_000L,
                    learningRate,
                    topFraction);
        } else {
            run = DcganRun.start(seed, learningRate, batchSize, UPSAMPLING);
            state = GanState.start(seed, batchSize, learningRate, examples, UPSAMPLING, topFraction);
        }

        long sittingStart = System.nanoTime();
        long trainedBefore = state.trainingNanos();
        long deadline = sittingStart + budget.toNanos() - trainedBefore;
        long lastCheckpoint = sittingStart;
        long iterationsPerEpoch = examples / batchSize;
        boolean outOfTime = trainedBefore >= budget.toNanos();
        if (outOfTime) {
            log.info(
                    "mnist-dcgan: the budget of {} minutes is spent; scoring the generator as it is",
                    budget.toMinutes());
        }
        GeneratorJudge.Scores scores = null; // of scoredImages, made by the generator at iteration scoredAt
        INDArray scoredImages = null;
        long scoredAt = -1;
        for (int epoch = state.epoch(); epoch <= epochs && !outOfTime; epoch++) {
            int[] order = DcganInputs.epochOrder(examples, seed, epoch);
            boolean continuing = epoch == state.epoch();
            double dSum = continuing ? state.dSum() : 0;
            double gSum = continuing ? state.gSum() : 0;
            int batches = continuing ? state.batches() : 0;
            long iteration = state.iteration();
            for (int from = continuing ? state.from() : 0; from + batchSize <= order.length; from += batchSize) {
                FitLoop.stopIfCancelled(progress);
                double[] losses = run.step(DcganInputs.realBatch(train, order, from, batchSize), state.generatorKeep());
                double dLoss = losses[0];
                double gLoss = losses[1];
                dSum += dLoss;
                gSum += gLoss;
                batches++;
                iteration++;
                long now = System.nanoTime();
                state = state.at(
                        epoch,
                        from + batchSize,
                        iteration,
                        state.imagesSeen() + batchSize,
                        trainedBefore + now - sittingStart,
                        dSum,
                        gSum,
                        batches,
                        dLoss,
                        gLoss);
                double fraction = Math.max(
                        iteration / (double) (iterationsPerEpoch * epochs),
                        state.trainingNanos() / (double) budget.toNanos());
                progress.iteration(epoch, iteration, gLoss, Math.min(1.0, fraction));
                if (iteration % 50 == 0) {
                    log.info(
                            "mnist-dcgan epoch {} iteration {}: D loss {} G loss {} ({} s)",
                            epoch,
                            iteration,
                            dLoss,
                            gLoss,
                            state.trainingNanos() / 1_000_000_000L);
                }
                if (now > deadline) {
                    outOfTime = true;
                    break;
                }
                if (checkpoints.due(lastCheckpoint) && from + 2 * batchSize <= order.length) {
                    run.save(checkpoints, state);
                    lastCheckpoint = System.nanoTime();
                }
            }
            if (outOfTime) {
                break;
            }
            Map<String, Double> val = new LinkedHashMap<>();
            val.put("discriminator_loss", dSum / Math.max(1, batches));
            scoredImages = run.generate(judgeNoise);
            scores = judge.score(scoredImages);
            scoredAt = state.iteration();
            val.putAll(scores.metrics()); // IS, FID and the class histogram: the per-epoch curve
            Map<String, Double> unaveraged =
                    judge.score(run.generateUnaveraged(judgeNoise)).metrics();
            for (String key : List.of("inception_score", "frechet_distance", "largest_class_share")) {
                val.put("unaveraged_" + key, unaveraged.get(key)); // what the average gains
            }
            progress.samples(epoch, SampleGrid.of(run.generate(gridNoise), 8, 8, 2));
            log.info("mnist-dcgan epoch {}: {}", epoch, val);
            double epochLoss = gSum / Math.max(1, batches);
            progress.epoch(epoch, epochLoss, val);
            state = state.epochDone(epoch, epochLoss, val);
            if (checkpoints.enabled()) {
                Path saved = run.save(checkpoints, state);
                if (state.bestSoFar()) {
                    checkpoints.keepAsBest(saved);
                }
                lastCheckpoint = System.nanoTime();
            }
        }
        Optional<Path> keep = progress.trainingState();
        if (keep.isPresent()) {
            run.saveForVersion(new Checkpoints(keep.get(), Duration.ZERO, null), state);
        }
        MultiLayerNetwork generator = run.finish();

        if (scoredAt != state.iteration()) { // trained past the last epoch's scores, or none this sitting
            scoredImages = generator.output(judgeNoise, false);
            scores = judge.score(scoredImages);
        }
        Map<String, Double> metrics = new LinkedHashMap<>(scores.metrics());
        metrics.putAll(run.heldOutMetrics(test, scoredImages));
        run.close();
        metrics.put("final_discriminator_loss", state.dLoss());
        metrics.put("final_generator_loss", state.gLoss());
        metrics.put("training_images_seen", (double) state.imagesSeen());
        metrics.put("iterations", (double) state.iteration());
        metrics.put("training_seconds", state.trainingNanos() / 1e9);

        Map<String, Object> hyper = state.provenance(epochs, budget, scored);
        ModelDescriptor descriptor = new ModelDescriptor(
                modelName(),
                0,
                ModelKind.IMAGE_GENERATOR,
                Instant.now(),
                description(),
                ModelDescriptor.InputSchema.latent(LATENT),
                List.of(),
                metrics,
                null);
        double minutes = state.trainingNanos() / 6e10;
        return new TrainedModel(
                generator,
                null,
                descriptor,
                new TrainedModel.Fit(
                        "mnist",
                        MnistSamples.sha256(data, List.of(DatasetFile.MNIST_TRAIN_IMAGES)),
                        hyper,
                        seed,
                        state.epochsDone(),
                        state.imagesSeen(),
                        String.format(
                                "Trained %.1f minutes%s: %d iterations, %d images seen (%d full epochs).",
                                minutes,
                                resume.isPresent() ? " in more than one sitting" : "",
                                state.iteration(),
                                state.imagesSeen(),
                                state.epochsDone()),
                        state.history().stream()
                                .map(e -> new ModelDescriptor.EpochScores(
                                        e.epoch(), e.trainingLoss(), e.validation(), e.seconds()))
                                .toList()));
    }
}
