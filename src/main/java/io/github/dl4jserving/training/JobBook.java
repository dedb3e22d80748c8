package io.github.dl4jserving.training;

import io.github.dl4jserving.training.internal.JobStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * The jobs this replica knows, by id: looked up, listed newest first, paged by cursor, and pruned by
 * the retention policy together with their records, checkpoints and sample grids.
 */
final class JobBook {
    private static final Logger log = LoggerFactory.getLogger(JobBook.class);

    /** Newest first; jobs created in the same instant by id, so that a cursor is exact. */
    private static final Comparator<TrainingJob> NEWEST_FIRST = Comparator.comparing(TrainingJob::createdAt)
            .thenComparing(TrainingJob::id)
            .reversed();

    private final Map<String, JobState> jobs = new ConcurrentHashMap<>();
    private final JobStore store;
    private final TrainingSettings.Retention retention;

    JobBook(JobStore store, TrainingSettings.Retention retention) {
        this.store = store;
        this.retention = retention;
    }

    void add(JobState job) {
        jobs.put(job.id(), job);
    }

    void remove(String id) {
        jobs.remove(id);
    }

    /** The job {@code id}, or null (also for a null id). */
    JobState get(String id) {
        return id == null ? null : jobs.get(id);
    }

    /** The job {@code id}; {@link JobNotFoundException} if there is none. */
    JobState find(String id) {
        JobState job = get(id);
        if (job == null) {
            throw new JobNotFoundException("There is no job with id '" + shorten(id) + "'.");
        }
        return job;
    }

    Collection<JobState> values() {
        return jobs.values();
    }

    List<TrainingJob> list(JobStatus status, String model) {
        return jobs.values().stream()
                .map(JobState::snapshot)
                .filter(j -> status == null || j.status() == status)
                .filter(j -> model == null || j.model().equals(model))
                .sorted(NEWEST_FIRST)
                .toList();
    }

    TrainingJobs.Page page(JobStatus status, String model, int limit, String after) {
        List<TrainingJob> all = list(status, model);
        int from = 0;
        if (after != null) {
            JobState cursor = jobs.get(after);
            if (cursor == null) {
                throw new InvalidHyperparameterException(
                        "after",
                        "'after' must be the id of a job from the page before (its 'next' link); job '" + shorten(after)
                                + "' does not exist, or was deleted by the retention policy.");
            }
            TrainingJob c = cursor.snapshot();
            while (from < all.size() && NEWEST_FIRST.compare(all.get(from), c) <= 0) {
                from++;
            }
        }
        int to = Math.min(all.size(), from + limit);
        return new TrainingJobs.Page(
                all.subList(from, to), to < all.size() ? all.get(to - 1).id() : null);
    }

    /**
     * Applies the retention policy: finished jobs past the count or the age go, with their records,
     * checkpoints and sample grids; of the rest, only the newest few keep their checkpoints.
     */
    synchronized void prune() {
        // One snapshot per job: a snapshot copies the job's loss history, so none is taken per comparison.
        List<TrainingJob> finished =
                list(null, null).stream().filter(j -> j.status().isFinal()).toList();
        Instant oldest = Instant.now().minus(retention.maxAge());
        int kept = 0;
        for (TrainingJob record : finished) {
            Instant ended = record.finishedAt() != null ? record.finishedAt() : record.createdAt();
            if (kept >= retention.maxFinishedJobs() || ended.isBefore(oldest)) {
                jobs.remove(record.id());
                store.delete(record.id());
                deleteFiles(store.workDir(record.id()));
                continue;
            }
            if (kept >= retention.keepCheckpoints()) {
                deleteFiles(store.checkpointDir(record.id()));
            }
            kept++;
        }
    }

    private static void deleteFiles(Path dir) {
        try {
            FileSystemUtils.deleteRecursively(dir);
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", dir, e.toString());
        }
    }

    /** A client's id as an error message quotes it: at most 64 characters. */
    static String shorten(String s) {
        return s == null ? "" : s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
