package io.github.dl4jserving.training;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Who follows a job's events. Events go to the {@link JobEvents} fan-out, which delivers them on a
 * thread of its own, never on the training thread; after the final status event nobody is left.
 */
final class JobSubscribers {
    private final List<Consumer<JobEvent>> listeners = new CopyOnWriteArrayList<>();
    private final JobEvents events;

    JobSubscribers(JobEvents events) {
        this.events = events;
    }

    /** Whether anyone listens now. */
    boolean heard() {
        return !listeners.isEmpty();
    }

    void send(JobEvent event) {
        events.send(event, listeners);
    }

    /** The job's last event: sent to those subscribed at this moment, and no one follows it. */
    void sendLast(JobEvent event) {
        send(event);
        listeners.clear();
    }

    /** Adds {@code listener}; returns the call that removes it. */
    Runnable add(Consumer<JobEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
