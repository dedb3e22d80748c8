package io.github.dl4jserving.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jserving.training.internal.JobStore;
import io.github.dl4jserving.training.internal.TrainingOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job aggregate's transitions: each saves the job and tells its subscribers. */
class JobStateTest {
    @TempDir
    Path root;

    private final JobEvents events = new JobEvents();
    private final JobQueue queue =
            new JobQueue(new TrainingSettings(1, 2, Duration.ofSeconds(5), Duration.ofHours(1), null));

    @AfterEach
    void close() {
        queue.shutdown();
        events.close();
    }

    private JobState job(JobStore store) {
        JobRunnerTest.FakeTrainer trainer = new JobRunnerTest.FakeTrainer();
        return new JobState(
                JobSpec.of(
                        "job-1",
                        trainer,
                        trainer.modelName(),
                        new DatasetChoice("pairs", null),
                        TrainingOptions.parse(Map.of(), trainer.hyperparameters()),
                        Promotion.NEVER,
                        null),
                events,
                store);
    }

    private static List<String> statuses(List<JobEvent> seen) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && seen.stream().noneMatch(e -> isFinal(e))) {
            Thread.sleep(5);
        }
        return seen.stream()
                .filter(e -> e.type().equals("status"))
                .map(e -> (String) e.data().get("status"))
                .toList();
    }

    private static boolean isFinal(JobEvent e) {
        return e.type().equals("status")
                && JobStatus.valueOf((String) e.data().get("status")).isFinal();
    }

    @Test
    void aJobRunsAndSucceedsSavedAndAnnouncedAtEachStep() throws Exception {
        JobStore store = new JobStore(root);
        JobState job = job(store);
        List<JobEvent> seen = new CopyOnWriteArrayList<>();
        job.subscribe(seen::add);

        assertThat(job.start()).isTrue();
        assertThat(store.loadAll())
                .singleElement()
                .extracting(TrainingJob::status)
                .isEqualTo(JobStatus.RUNNING);
        job.succeed(3, Map.of("accuracy", 0.9), true, "better");

        assertThat(statuses(seen)).containsExactly("QUEUED", "RUNNING", "SUCCEEDED");
        TrainingJob saved = store.loadAll().get(0);
        assertThat(saved.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(saved.resultVersion()).isEqualTo(3);
        assertThat(saved.promoted()).isTrue();
        assertThat(saved.progress()).isEqualTo(1.0);

        List<JobEvent> late = new CopyOnWriteArrayList<>();
        job.subscribe(late::add);
        assertThat(late).singleElement().satisfies(e -> assertThat(e.data()).containsEntry("status", "SUCCEEDED"));
        assertThatThrownBy(() -> job.requestCancel(queue))
                .isInstanceOf(JobConflictException.class)
                .hasMessageContaining("already finished");
    }

    @Test
    void aCancelWhileRunningWaitsForTheTrainerAndAShutdownBeforeTheStartFails() throws Exception {
        JobStore store = new JobStore(root);
        JobState running = job(store);
        running.start();
        assertThat(running.requestCancel(queue))
                .as("a running job is only asked")
                .isFalse();
        assertThat(running.status()).isEqualTo(JobStatus.CANCELLING);
        assertThat(running.cancelRequested()).isTrue();
        assertThat(running.cancelled()).isEqualTo(JobStatus.CANCELLED);

        JobState stopped = job(new JobStore(root.resolve("stopped")));
        stopped.start();
        stopped.interrupt(queue); // the service shuts down while it trains
        assertThat(stopped.cancelled()).isEqualTo(JobStatus.FAILED);
        assertThat(stopped.snapshot().error()).startsWith("interrupted: the service shut down during training");

        JobState waiting = job(new JobStore(root.resolve("other")));
        waiting.interrupt(queue); // never handed to the queue: it stays to be failed when a worker takes it
        assertThat(waiting.cancelRequested()).isTrue();
        assertThat(waiting.start()).isFalse();
        assertThat(waiting.status()).isEqualTo(JobStatus.FAILED);
        assertThat(waiting.snapshot().error()).contains("shut down before the job started");
    }

    @Test
    void theAdmissionSlotIsGivenBackOnceWhenTheJobFinishes() {
        JobState job = job(new JobStore(root));
        int[] released = new int[1];
        job.slot().hold(() -> released[0]++, () -> {});
        job.start();
        job.fail("broken");
        job.slot().release();
        assertThat(released[0]).isEqualTo(1);
        assertThat(job.snapshot().error()).isEqualTo("broken");
    }
}
