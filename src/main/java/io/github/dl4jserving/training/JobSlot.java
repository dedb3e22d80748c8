package io.github.dl4jserving.training;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A job's place in the {@link JobQueue}: the admission slot it holds, given back exactly once, and
 * the executor's task that runs it, so that a job still waiting can be taken out again.
 */
final class JobSlot {
    private final AtomicReference<Runnable> release = new AtomicReference<>();
    private volatile Runnable task;

    /** Holds a slot, given back by {@code release}, while the executor runs {@code runs}. */
    void hold(Runnable release, Runnable runs) {
        this.release.set(release);
        task = runs;
    }

    /** The executor's task for the job, or null before it was queued. */
    Runnable task() {
        return task;
    }

    /** Gives the slot back, if the job still holds one. */
    void release() {
        Runnable r = release.getAndSet(null);
        if (r != null) {
            r.run();
        }
    }
}
