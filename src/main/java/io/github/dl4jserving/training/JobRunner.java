package io.github.dl4jserving.training;

import io.github.dl4jserving.datasets.DataDirectory;
import io.github.dl4jserving.datasets.DatasetStore;
import io.github.dl4jserving.platform.NativeBackend;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelRegistry;
import io.github.dl4jserving.training.internal.TrainedModel;
import io.github.dl4jserving.training.internal.Trainer;
import io.github.dl4jserving.training.internal.TrainingCancelledException;
import io.github.dl4jserving.training.internal.TrainingData;
import io.github.dl4jserving.training.internal.TrainingDivergedException;
import io.github.dl4jserving.training.internal.TrainingMetrics;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job on a training thread: the trainer fits its network, the result gets the job's name and
 * id in its provenance, and the registry publishes it under the job's promotion rule, deciding against
 * the default of that moment. Every change of status is saved, then announced.
 */
final class JobRunner {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final Map<String, Trainer> trainers;
    private final ModelRegistry registry;
    private final DataDirectory data;
    private final DatasetStore uploads;
    private final TrainingMetrics metrics;

    JobRunner(
            Map<String, Trainer> trainers,
            ModelRegistry registry,
            DataDirectory data,
            DatasetStore uploads,
            TrainingMetrics metrics) {
        this.trainers = trainers;
        this.registry = registry;
        this.data = data;
        this.uploads = uploads;
        this.metrics = metrics;
    }

    /** The job as a task for the queue's executor; its admission slot is given back however it ends. */
    Runnable task(JobState job) {
        return () -> {
            try {
                run(job);
            } finally {
                job.slot().release(); // also if the trainer threw an Error
            }
        };
    }

    private void run(JobState job) {
        Trainer trainer = trainers.get(job.model());
        if (!job.start()) {
            return;
        }
        try {
            NativeBackend.limitOpenMpOfThisThread();
            TrainingData input = job.spec().upload() != null
                    ? new TrainingData(data, job.spec().dataset(), job.spec().upload(), uploads)
                    : TrainingData.builtIn(data, job.spec().dataset());
            long start = System.nanoTime();
            TrainedModel trained = trainer.train(input, job.spec().options(), metrics.observe(job.model(), job));
            double seconds = (System.nanoTime() - start) / 1e9;
            if (job.cancelRequested()) {
                trained.network().close();
                throw new TrainingCancelledException();
            }
            try {
                trained.requireFinite();
            } catch (TrainingDivergedException e) {
                trained.network().close();
                throw e;
            }
            ModelDescriptor candidate = trained.describe(trainer, seconds, job.id())
                    .withName(job.spec().target());
            if (job.spec().comparison() != null) {
                trained.network().close();
                metrics.jobFinished(job.model(), "succeeded");
                job.succeed(
                        null,
                        candidate.metrics(),
                        false,
                        "comparison run " + job.spec().comparison() + ": no version written");
            } else {
                ModelRegistry.Published published;
                try {
                    published = registry.publish(
                            candidate,
                            trained.network(),
                            trained.normalizer(),
                            PromotionPolicy.rule(job.spec().promote(), trainer));
                } finally {
                    trained.network().close();
                }
                log.info(
                        "Job {} wrote {} version {} ({}): {}",
                        job.id(),
                        job.spec().target(),
                        published.model().version(),
                        published.decision().promote() ? "promoted" : "not promoted",
                        published.decision().reason());
                metrics.jobFinished(job.model(), "succeeded");
                job.succeed(
                        published.model().version(),
                        published.model().descriptor().metrics(),
                        published.decision().promote(),
                        published.decision().reason());
            }
        } catch (TrainingCancelledException e) {
            JobStatus end = job.cancelled();
            metrics.jobFinished(job.model(), end == JobStatus.FAILED ? "failed" : "cancelled");
        } catch (TrainingDivergedException e) {
            log.info("Job {} failed: {}", job.id(), e.getMessage());
            metrics.jobFinished(job.model(), "failed");
            job.fail(e.getMessage());
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            log.warn("Job {} failed", job.id(), e);
            String message =
                    e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            metrics.jobFinished(job.model(), "failed");
            job.fail(message.length() > 500 ? message.substring(0, 500) + "..." : message);
        }
    }
}
