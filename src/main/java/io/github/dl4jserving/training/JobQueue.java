package io.github.dl4jserving.training;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission and execution: a bounded executor (one job at a time by default) behind a semaphore with
 * one permit per running or waiting job.
 */
final class JobQueue {
    private static final Logger log = LoggerFactory.getLogger(JobQueue.class);

    private final TrainingSettings settings;
    private final ThreadPoolExecutor executor;
    /**
     * Admission: one permit per running or waiting job. The executor's own queue cannot be the
     * limit: a job offered to an idle worker sits in the queue until the worker takes it, so a
     * second offer right after it would be refused although a slot is free.
     */
    private final Semaphore slots;

    JobQueue(TrainingSettings settings) {
        this.settings = settings;
        this.slots = new Semaphore(settings.concurrency() + settings.queueCapacity());
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(
                settings.concurrency(), settings.concurrency(), 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "training-" + threads.incrementAndGet());
                    // Inference threads come first where the OS honours priorities.
                    t.setPriority(Thread.MIN_PRIORITY);
                    return t;
                });
    }

    /** Takes {@code n} slots at once, or throws {@link JobQueueFullException} with {@code why} and none taken. */
    void admit(int n, String why) {
        if (!slots.tryAcquire(n)) {
            throw new JobQueueFullException(why.replace("{free}", Integer.toString(slots.availablePermits())));
        }
    }

    /** The refusal when one job does not fit. */
    String fullMessage() {
        return "The training queue is full: " + settings.concurrency() + " job(s) running and "
                + settings.queueCapacity() + " waiting. Retry later.";
    }

    /**
     * Runs {@code task} for a job that holds an admitted slot; the slot goes back through the job's
     * {@link JobSlot#release} when it ends, or at once if the executor refuses it (shutting down).
     */
    void execute(JobState job, Runnable task) {
        job.slot().hold(slots::release, task);
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            job.slot().release();
            throw new JobQueueFullException("The service is shutting down and takes no new jobs.");
        }
    }

    /** Removes a job that has not started; false if a worker already took it. */
    boolean unqueue(JobState job) {
        Runnable task = job.slot().task();
        return task != null && executor.remove(task);
    }

    /** Takes no new jobs; running ones stop when their jobs see their cancellation. */
    void shutdown() {
        executor.shutdown();
    }

    /** Waits up to {@code shutdown-timeout} for running jobs to stop. */
    void awaitStop() {
        Duration timeout = settings.shutdownTimeout();
        try {
            if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Training jobs did not stop within {}", timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
