package io.github.dl4jserving.training.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.util.FileSystemUtils;

/**
 * Where a trainer keeps its checkpoints and where it resumes from. Each checkpoint is a directory
 * {@code checkpoint-<step>} written under a temporary name and renamed when complete, so a crash
 * leaves the previous checkpoint whole; the last two are kept. A trainer saves after each epoch and,
 * for long epochs, whenever {@link #due()} says the interval has passed.
 *
 * @param directory  where checkpoints are written; {@code null} for none
 * @param interval   the longest time between two checkpoints within an epoch
 * @param resumeFrom the checkpoint directory to continue from, or {@code null} to start afresh
 */
public record Checkpoints(Path directory, Duration interval, Path resumeFrom) {
    public static final Checkpoints NONE = new Checkpoints(null, Duration.ZERO, null);
    static final int KEEP = 2;
    /** The run's options, beside its checkpoints ({@code train --checkpoint-dir}). */
    public static final String COMMAND = "command.json";
    /** Where the best-scoring checkpoint of a run is kept ({@link #keepAsBest}). */
    public static final String BEST = "best";

    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d{1,18})");

    public boolean enabled() {
        return directory != null;
    }

    /** Whether the interval has passed since {@code lastSaveNanos} (a {@link System#nanoTime()}). */
    public boolean due(long lastSaveNanos) {
        return enabled() && !interval.isZero() && System.nanoTime() - lastSaveNanos >= interval.toNanos();
    }

    /** The newest complete checkpoint to resume from, if resuming and there is one. */
    public Optional<Path> resumePoint() {
        return resumeFrom == null ? Optional.empty() : latest(resumeFrom);
    }

    /** The newest complete checkpoint in {@code dir}; temporary directories are not checkpoints. */
    public static Optional<Path> latest(Path dir) {
        return complete(dir).stream().max(Comparator.comparingLong(Checkpoints::step));
    }

    private static List<Path> complete(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> NAME.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long step(Path checkpoint) {
        Matcher m = NAME.matcher(checkpoint.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * Keeps a copy of {@code checkpoint} as {@value #BEST}, with the run's {@value #COMMAND}, in
     * place of the previous one: the last two checkpoints roll on, this one stays until a better one
     * comes. {@code --resume=<directory>/best} continues (or ships) from it.
     */
    public void keepAsBest(Path checkpoint) throws IOException {
        Path best = directory.resolve(BEST);
        Path tmp = directory.resolve(".tmp-" + BEST);
        FileSystemUtils.deleteRecursively(tmp);
        FileSystemUtils.copyRecursively(checkpoint, tmp.resolve(checkpoint.getFileName()));
        Path command = directory.resolve(COMMAND);
        if (Files.isRegularFile(command)) {
            Files.copy(command, tmp.resolve(COMMAND));
        }
        FileSystemUtils.deleteRecursively(best);
        Files.move(tmp, best);
    }

    /** Writes the files of one checkpoint into a directory it is given. */
    @FunctionalInterface
    public interface Contents {
        void writeTo(Path dir) throws IOException;
    }

    /**
     * Writes checkpoint {@code step}: {@code contents} fills a temporary directory, which is then
     * renamed to {@code checkpoint-<step>}; older checkpoints beyond the last two are deleted.
     * Returns the checkpoint's directory.
     */
    public Path save(long step, Contents contents) throws IOException {
        Files.createDirectories(directory);
        String name = String.format("checkpoint-%09d", step);
        Path tmp = directory.resolve(".tmp-" + name);
        Path target = directory.resolve(name);
        FileSystemUtils.deleteRecursively(tmp);
        Files.createDirectories(tmp);
        contents.writeTo(tmp);
        FileSystemUtils.deleteRecursively(target);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target);
        }
        List<Path> all = complete(directory).stream()
                .sorted(Comparator.comparingLong(Checkpoints::step).reversed())
                .toList();
        for (Path old : all.subList(Math.min(KEEP, all.size()), all.size())) {
            FileSystemUtils.deleteRecursively(old);
        }
        return target;
    }
}
