package io.github.dl4jserving.training;

import io.github.dl4jserving.datasets.DataDirectory;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelFiles;
import io.github.dl4jserving.registry.RegistrySettings;
import io.github.dl4jserving.training.internal.BreastCancerLogRegTrainer;
import io.github.dl4jserving.training.internal.Checkpoints;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code java -jar dl4j-serving.jar train <model> [--epochs=N] [--batch-size=N] [--learning-rate=X]
 * [--seed=N] [--l2=X] [--dropout=X] [--optimizer=NAME] [--examples=N] [--degree=N] [--minutes=M]
 * [--checkpoint-dir=DIR] [--checkpoint-minutes=M] [--resume=DIR|VERSION-DIR] [--models-dir=DIR] [--seed-models-dir=DIR]
 * [--data-dir=DIR] [--registry.store=s3 --registry.s3.bucket=B ...]}: trains one model without starting the
 * server and writes it as the model's next version.
 *
 * <p>With {@code --checkpoint-dir} a trainer that checkpoints (the DCGAN) saves its state there;
 * {@code --resume=DIR} (or {@code --resume DIR}) continues from the newest checkpoint in DIR with the
 * options the run started with, any given now taking precedence, and keeps checkpointing there. One
 * long training can so span several sittings; {@code --minutes} counts the training time of all of them.
 * Such a trainer also ships its training state with the version it writes ({@link Sittings}):
 * {@code --resume=models/mnist-dcgan/3} continues from that version on any machine.
 */
public final class TrainCommand {
    public static final List<Trainer> TRAINERS = List.of(
            new MnistMlpTrainer(),
            new MnistSoftmaxTrainer(),
            new BreastCancerLogRegTrainer(),
            new SalaryPolyRegTrainer(),
            new MnistDcganTrainer());

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TrainCommand() {}

    public static int run(String[] args) throws Exception {
        if (args.length < 1 || args[0].startsWith("--")) {
            System.err.println("usage: train <"
                    + String.join("|", TRAINERS.stream().map(Trainer::modelName).toList())
                    + "> [--epochs=N] [--batch-size=N] [--learning-rate=X] [--seed=N] [--l2=X] [--dropout=X] [--optimizer=NAME]"
                    + " [--examples=N] [--degree=N] [--minutes=M] [--checkpoint-dir=DIR] [--checkpoint-minutes=M]"
                    + " [--resume=DIR|VERSION-DIR] [--models-dir=DIR] [--seed-models-dir=DIR] [--data-dir=DIR]"
                    + " [--registry.store=filesystem|s3] [--registry.s3.endpoint=URL] [--registry.s3.bucket=B]"
                    + " [--registry.s3.prefix=P] [--registry.s3.region=R] [--registry.s3.path-style=true|false]");
            return 2;
        }
        Trainer trainer = TRAINERS.stream()
                .filter(t -> t.modelName().equals(args[0]))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No trainer for model '" + args[0] + "'"));
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--resume") && i + 1 < args.length) {
                opts.put("resume", args[++i]);
                continue;
            }
            if (!a.startsWith("--") || !a.contains("=")) {
                throw new IllegalArgumentException("Options look like --name=value, not '" + a + "'");
            }
            opts.put(a.substring(2, a.indexOf('=')).replace("dl4j-serving.", ""), a.substring(a.indexOf('=') + 1));
        }
        Checkpoints checkpoints = Sittings.checkpoints(trainer, opts);
        Optional<Path> state = Sittings.trainingState(trainer);
        RegistrySettings registry = registrySettings(opts);
        Path dataDir = Path.of(setting(opts, "data-dir", "data"));
        TrainingOptions options = hyperparameters(trainer, opts);
        long start = System.nanoTime();
        TrainedModel trained = trainer.train(
                TrainingData.builtIn(
                        new DataDirectory(dataDir), trainer.datasets().get(0)),
                options,
                new TrainingProgress() {
                    @Override
                    public Checkpoints checkpoints() {
                        return checkpoints;
                    }

                    @Override
                    public Optional<Path> trainingState() {
                        return state;
                    }
                });
        trained.requireFinite();
        ModelDescriptor descriptor = trained.describe(trainer, (System.nanoTime() - start) / 1e9, null);
        // As the service would at start-up, so a trained version takes the number after the shipped ones.
        ModelDescriptor written = ModelFiles.addVersion(registry, descriptor, trained.network(), trained.normalizer());
        System.out.println("Wrote " + written.name() + " version " + written.version() + " to "
                + ModelFiles.location(registry) + "; metrics " + written.metrics());
        if (state.isPresent()) {
            Optional<Path> shipped = Sittings.ship(state.get(), trainer, opts, COMMAND_OPTIONS, registry, written);
            System.out.println(shipped.map(
                            p -> "Its training state, to continue with --resume=" + p.getParent() + ": " + p)
                    .orElse("This store keeps no training state: continue from checkpoints (--checkpoint-dir)."));
        }
        return 0;
    }

    /**
     * The store to write to, from options such as {@code --registry.store=s3} or the service's
     * environment variables ({@code DL4J_SERVING_REGISTRY_S3_BUCKET}), as the service reads them.
     */
    static RegistrySettings registrySettings(Map<String, String> opts) {
        RegistrySettings.S3 s3 = new RegistrySettings.S3(
                setting(opts, "registry.s3.endpoint", ""),
                setting(opts, "registry.s3.bucket", ""),
                setting(opts, "registry.s3.prefix", ""),
                setting(opts, "registry.s3.region", "us-east-1"),
                Boolean.parseBoolean(setting(opts, "registry.s3.path-style", "true")));
        RegistrySettings.Store store = new RegistrySettings.Store(
                RegistrySettings.StoreType.valueOf(
                        setting(opts, "registry.store", "filesystem").toUpperCase(Locale.ROOT)),
                s3,
                false,
                setting(opts, "registry.model-name", ""));
        return new RegistrySettings(
                setting(opts, "models-dir", "model-store"), setting(opts, "seed-models-dir", "models"), store);
    }

    /** {@code --key=value}, else the environment variable {@code DL4J_SERVING_KEY}, else {@code fallback}. */
    private static String setting(Map<String, String> opts, String key, String fallback) {
        if (opts.containsKey(key)) {
            return opts.get(key);
        }
        String v = System.getenv(
                "DL4J_SERVING_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        return v == null || v.isBlank() ? fallback : v;
    }

    /** The command's own options, beside the trainer's hyperparameters and {@code --registry.*}. */
    private static final Set<String> COMMAND_OPTIONS =
            Set.of("checkpoint-dir", "checkpoint-minutes", "resume", "models-dir", "seed-models-dir", "data-dir");

    /**
     * The trainer's hyperparameters from the options ({@code --batch-size} for {@code batchSize}),
     * checked and completed by the same table as {@code POST /jobs}: the same defaults, ranges and
     * choices. An option that is neither a hyperparameter of this trainer nor one of the command's
     * own is refused.
     */
    static TrainingOptions hyperparameters(Trainer trainer, Map<String, String> opts) {
        Map<String, Object> given = new LinkedHashMap<>();
        Set<String> known = new HashSet<>(COMMAND_OPTIONS);
        for (Hyperparameter h : trainer.hyperparameters()) {
            String flag = h.name().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
            known.add(flag);
            String raw = opts.get(flag);
            if (raw != null) {
                given.put(h.name(), h.type().equals("string") ? raw : number(flag, raw));
            }
        }
        for (String option : opts.keySet()) {
            if (!known.contains(option) && !option.startsWith("registry.")) {
                throw new IllegalArgumentException("--" + option + " is not an option of " + trainer.modelName()
                        + "; its hyperparameters are "
                        + trainer.hyperparameters().stream()
                                .map(Hyperparameter::name)
                                .toList()
                        + ".");
            }
        }
        return TrainingOptions.parse(given, trainer.hyperparameters()).options();
    }

    private static Number number(String flag, String raw) {
        try {
            return raw.matches("-?\\d+") ? (Number) Long.valueOf(raw) : (Number) Double.valueOf(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + flag + " takes a number, not '" + raw + "'");
        }
    }
}
