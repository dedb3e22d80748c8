package io.github.dl4jserving.training;

import io.github.dl4jserving.datasets.DataDirectory;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelFiles;
import io.github.dl4jserving.training.internal.BreastCancerLogRegTrainer;
import io.github.dl4jserving.training.internal.MnistDcganTrainer;
import io.github.dl4jserving.training.internal.MnistMlpTrainer;
import io.github.dl4jserving.training.internal.MnistSoftmaxTrainer;
import io.github.dl4jserving.training.internal.SalaryPolyRegTrainer;
import io.github.dl4jserving.training.internal.TrainedModel;
import io.github.dl4jserving.training.internal.Trainer;
import io.github.dl4jserving.training.internal.TrainingData;
import io.github.dl4jserving.training.internal.TrainingOptions;
import io.github.dl4jserving.training.internal.TrainingProgress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code java -jar dl4j-serving.jar train <model> [--epochs=N] [--batch-size=N] [--learning-rate=X]
 * [--seed=N] [--l2=X] [--dropout=X] [--optimizer=NAME] [--examples=N] [--degree=N] [--minutes=M] [--models-dir=DIR] [--seed-models-dir=DIR] [--data-dir=DIR]}: trains one
 * model without starting the server and writes it as the model's next version.
 */
public final class TrainCommand {
    public static final List<Trainer> TRAINERS = List.of(
            new MnistMlpTrainer(),
            new MnistSoftmaxTrainer(),
            new BreastCancerLogRegTrainer(),
            new SalaryPolyRegTrainer(),
            new MnistDcganTrainer());

    private TrainCommand() {}

    public static int run(String[] args) throws Exception {
        if (args.length < 1 || args[0].startsWith("--")) {
            System.err.println(
                    "usage: train <"
                            + String.join(
                                    "|",
                                    TRAINERS.stream().map(Trainer::modelName).toList())
                            + "> [--epochs=N] [--batch-size=N] [--learning-rate=X] [--seed=N] [--l2=X] [--dropout=X] [--optimizer=NAME]"
                            + " [--examples=N] [--degree=N] [--minutes=M] [--models-dir=DIR] [--seed-models-dir=DIR] [--data-dir=DIR]");
            return 2;
        }
        Trainer trainer = TRAINERS.stream()
                .filter(t -> t.modelName().equals(args[0]))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No trainer for model '" + args[0] + "'"));
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || !a.contains("=")) {
                throw new IllegalArgumentException("Options look like --name=value, not '" + a + "'");
            }
            opts.put(a.substring(2, a.indexOf('=')).replace("dl4j-serving.", ""), a.substring(a.indexOf('=') + 1));
        }
        Path models = Path.of(opts.getOrDefault("models-dir", env("DL4J_SERVING_MODELS_DIR", "model-store")));
        String seeds = opts.getOrDefault("seed-models-dir", env("DL4J_SERVING_SEED_MODELS_DIR", "models"));
        Path dataDir = Path.of(opts.getOrDefault("data-dir", env("DL4J_SERVING_DATA_DIR", "data")));
        TrainingOptions options = new TrainingOptions(
                intOpt(opts, "epochs"),
                intOpt(opts, "batch-size"),
                doubleOpt(opts, "learning-rate"),
                opts.containsKey("seed") ? Long.parseLong(opts.get("seed")) : null,
                doubleOpt(opts, "l2"),
                doubleOpt(opts, "dropout"),
                opts.containsKey("minutes")
                        ? Duration.ofSeconds(Math.round(Double.parseDouble(opts.get("minutes")) * 60))
                        : null,
                opts.get("optimizer"),
                intOpt(opts, "examples"),
                intOpt(opts, "degree"));
        long start = System.nanoTime();
        TrainedModel trained = trainer.train(
                TrainingData.builtIn(
                        new DataDirectory(dataDir), trainer.datasets().get(0)),
                options,
                TrainingProgress.NONE);
        ModelDescriptor descriptor = trained.describe(trainer, (System.nanoTime() - start) / 1e9, null);
        // As the service would at start-up, so a trained version takes the number after the shipped ones.
        ModelDescriptor written = ModelFiles.addVersion(
                models,
                seeds.isBlank() ? Optional.empty() : Optional.of(Path.of(seeds)),
                descriptor,
                trained.network(),
                trained.normalizer());
        System.out.println("Wrote " + written.name() + " version " + written.version() + " to "
                + models.toAbsolutePath() + "; metrics " + written.metrics());
        return 0;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static Integer intOpt(Map<String, String> opts, String key) {
        return opts.containsKey(key) ? Integer.valueOf(opts.get(key)) : null;
    }

    private static Double doubleOpt(Map<String, String> opts, String key) {
        return opts.containsKey(key) ? Double.valueOf(opts.get(key)) : null;
    }
}
