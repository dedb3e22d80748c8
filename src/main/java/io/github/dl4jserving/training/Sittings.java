package io.github.dl4jserving.training;

import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelFiles;
import io.github.dl4jserving.registry.RegistrySettings;
import io.github.dl4jserving.training.internal.Checkpoints;
import io.github.dl4jserving.training.internal.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.util.FileSystemUtils;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sittings of one long training from the command line. A sitting continues ({@code --resume})
 * from a checkpoint directory, which it keeps checkpointing into, or from a shipped version's
 * training state ({@link ModelFiles#TRAINING_STATE}), which needs nothing of the machine that trained
 * it; it may checkpoint into a new {@code --checkpoint-dir}. Each place records the options of the
 * run ({@value #COMMAND}); a sitting takes them as defaults for what it is not given. A resumable
 * trainer's sitting ends by shipping its training state with the version it writes.
 */
final class Sittings {
    private static final String COMMAND = Checkpoints.COMMAND;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Sittings() {}

    /** Where this sitting checkpoints and what it continues, from {@code --resume} and {@code --checkpoint-dir}. */
    static Checkpoints checkpoints(Trainer trainer, Map<String, String> opts) throws IOException {
        String resume = opts.remove("resume");
        String dir = opts.remove("checkpoint-dir");
        Path from = null;
        if (resume != null) {
            Path given = Path.of(resume);
            if (ModelFiles.isVersionDirectory(given)) {
                from = given.resolve(ModelFiles.TRAINING_STATE);
                if (!Files.isRegularFile(from.resolve(COMMAND))) {
                    throw new IllegalArgumentException(resume + " is a version without training state to resume"
                            + " from: only the newest version a training shipped keeps one.");
                }
            } else {
                from = given;
                dir = resume; // a checkpoint directory goes on taking the run's checkpoints
                if (!Files.isRegularFile(from.resolve(COMMAND))) {
                    throw new IllegalArgumentException(
                            "Nothing to resume in " + resume + ": it has no " + COMMAND + " and is not a version.");
                }
            }
            Map<String, String> saved = JSON.readValue(from.resolve(COMMAND).toFile(), new TypeReference<>() {});
            if (!trainer.modelName().equals(saved.get("model"))) {
                throw new IllegalArgumentException(
                        resume + " holds a run of " + saved.get("model") + ", not " + trainer.modelName() + ".");
            }
            saved.remove("model");
            saved.forEach(opts::putIfAbsent);
        }
        Path path = dir == null ? null : Path.of(dir);
        if (path != null && !path.equals(from)) {
            if (Checkpoints.latest(path).isPresent()) {
                throw new IllegalArgumentException(
                        dir + " already holds checkpoints: continue them with --resume=" + dir + ".");
            }
            Files.createDirectories(path);
        }
        if (path != null) {
            // also when resuming in place: an option this sitting changed (a lower learning rate)
            // is what the next sitting goes on with
            write(path, trainer, opts, Set.of());
        }
        double minutes = Double.parseDouble(opts.getOrDefault("checkpoint-minutes", "10"));
        return new Checkpoints(path, Duration.ofMillis(Math.round(minutes * 60_000)), from);
    }

    /** A directory for the training state a resumable trainer leaves at the end of the sitting. */
    static Optional<Path> trainingState(Trainer trainer) throws IOException {
        return trainer.resumable() ? Optional.of(Files.createTempDirectory("dl4j-training-state")) : Optional.empty();
    }

    /**
     * Ships {@code state} with the version just written (see {@link ModelFiles#shipTrainingState}),
     * recording the run's hyperparameters in it, and deletes the temporary directory. Returns where
     * it went, if the store keeps training state.
     */
    static Optional<Path> ship(
            Path state,
            Trainer trainer,
            Map<String, String> opts,
            Set<String> commandOptions,
            RegistrySettings registry,
            ModelDescriptor version)
            throws IOException {
        try {
            write(state, trainer, opts, commandOptions);
            return ModelFiles.shipTrainingState(registry, version, state);
        } finally {
            FileSystemUtils.deleteRecursively(state);
        }
    }

    /** The options as {@value #COMMAND} in {@code dir}, but for {@code leaveOut} and the store's settings. */
    private static void write(Path dir, Trainer trainer, Map<String, String> opts, Set<String> leaveOut)
            throws IOException {
        Map<String, String> record = new TreeMap<>(opts);
        if (!leaveOut.isEmpty()) {
            record.keySet().removeIf(k -> leaveOut.contains(k) || k.startsWith("registry."));
        }
        record.put("model", trainer.modelName());
        Path tmp = Files.createTempFile(dir, COMMAND, ".tmp");
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
        Files.move(tmp, dir.resolve(COMMAND), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
