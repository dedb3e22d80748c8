package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.training.TrainingJob;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Job records as one JSON file per job in {@code <models-dir>/.jobs/}: each save writes a temporary
 * file and renames it over the old one, so a crash leaves either the old record or the new one.
 * (The registry ignores the directory: its name is not a valid model name.)
 */
public class JobStore {
    private static final Logger log = LoggerFactory.getLogger(JobStore.class);
    static final Pattern ID = Pattern.compile("[a-z0-9-]{1,64}");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path dir;

    public JobStore(Path modelsDir) {
        this.dir = modelsDir.toAbsolutePath().normalize().resolve(".jobs");
    }

    /** {@code <dir>/<id>.json}, for a well-formed id only, checked to lie directly in the directory. */
    private Path file(String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("bad job id");
        }
        Path file = dir.resolve(id + ".json").normalize();
        if (!dir.equals(file.getParent())) {
            throw new IllegalArgumentException("bad job id");
        }
        return file;
    }

    /**
     * The job's own directory, {@code <dir>/<id>/}, for its checkpoints and sample grids; checked as
     * {@link #file} is.
     */
    public Path workDir(String id) {
        Path work = dir.resolve(file(id).getFileName().toString().replace(".json", ""));
        if (!dir.equals(work.getParent())) {
            throw new IllegalArgumentException("bad job id");
        }
        return work;
    }

    /** Where a job's checkpoints go: {@code .jobs/<id>/checkpoints}. */
    public Path checkpointDir(String id) {
        return workDir(id).resolve("checkpoints");
    }

    /** Where a generator job keeps the sample grid of {@code epoch}: {@code .jobs/<id>/samples/epoch-<n>.png}. */
    public Path samplesFile(String id, int epoch) {
        return workDir(id).resolve("samples").resolve(String.format("epoch-%03d.png", epoch));
    }

    /** The PNG sample grid job {@code id} saved after {@code epoch}, if it saved one. */
    public Optional<byte[]> samples(String id, int epoch) {
        try {
            return Optional.of(Files.readAllBytes(samplesFile(id, epoch)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps the sample grid of {@code epoch}; a grid that cannot be written is logged and skipped. */
    public void saveSamples(String id, int epoch, BufferedImage grid) {
        Path file = samplesFile(id, epoch);
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(grid, "png", file.toFile());
        } catch (IOException e) {
            log.warn("Could not save the samples of job {} epoch {}: {}", id, epoch, e.toString());
        }
    }

    /**
     * Where job {@code id} keeps its checkpoints ({@code .jobs/<id>/checkpoints}), every {@code
     * checkpointMinutes} of its options (10 without them), continuing those of job {@code from} if
     * not null: itself after a restart, or the job it resumes.
     */
    public Checkpoints checkpoints(String id, TrainingOptions options, String from) {
        Duration interval = options != null && options.checkpointInterval() != null
                ? options.checkpointInterval()
                : Duration.ofMinutes(10);
        return new Checkpoints(checkpointDir(id), interval, from == null ? null : checkpointDir(from));
    }

    public synchronized void save(TrainingJob job) {
        Path file = file(job.id());
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(".tmp-" + file.getFileName());
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(job));
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // The job itself goes on; its record on disk is stale until the next save.
            log.warn("Could not save job {}: {}", job.id(), e.toString());
        }
    }

    public synchronized void delete(String id) {
        try {
            Files.deleteIfExists(file(id));
        } catch (IOException e) {
            log.warn("Could not delete job record {}: {}", id, e.toString());
        }
    }

    /** Every readable record; unreadable ones are logged and skipped, temporary files removed. */
    public List<TrainingJob> loadAll() {
        List<TrainingJob> jobs = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return jobs;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(".tmp-")) {
                    Files.deleteIfExists(f);
                    continue;
                }
                if (!name.endsWith(".json")) {
                    continue;
                }
                try {
                    jobs.add(JSON.readValue(f.toFile(), TrainingJob.class));
                } catch (RuntimeException e) {
                    log.warn("Skipping unreadable job record {}: {}", f, e.getMessage());
                }
            }
        } catch (IOException e) {
            log.warn("Cannot list job records in {}: {}", dir, e.toString());
        }
        return jobs;
    }
}
