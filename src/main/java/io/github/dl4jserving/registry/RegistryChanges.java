package io.github.dl4jserving.registry;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;

/**
 * The registry's one lock and the announcement of what changed under it. A change runs under the
 * lock and lists its {@link RegistryEvent}s; they are queued before the lock is released and
 * delivered after it, one at a time and in the order the changes were made, whichever threads made
 * them. So a listener never runs inside the lock (it may call the registry back, from any thread),
 * and two threads' events never overtake each other on the way to it.
 */
final class RegistryChanges {
    /** A change to the registry: it adds the events it causes to {@code events}. */
    @FunctionalInterface
    interface Change<T> {
        T apply(List<RegistryEvent> events) throws IOException;
    }

    private final Object lock = new Object();
    private final ApplicationEventPublisher listeners;
    /** Changes' events not yet announced, oldest first; also the monitor of {@link #announcing}. */
    private final Deque<RegistryEvent> unannounced = new ArrayDeque<>();
    /** Whether some thread is delivering {@link #unannounced} events now. */
    private boolean announcing;

    RegistryChanges(ApplicationEventPublisher listeners) {
        this.listeners = listeners;
    }

    /** Runs {@code change} under the lock, then announces its events. */
    <T> T make(Change<T> change) throws IOException {
        T result;
        synchronized (lock) {
            List<RegistryEvent> events = new ArrayList<>();
            result = change.apply(events);
            synchronized (unannounced) {
                unannounced.addAll(events);
            }
        }
        announce();
        return result;
    }

    /**
     * Delivers the queued events: the thread that finds nobody delivering delivers every queued
     * event, its own and those other threads queued meanwhile.
     */
    private void announce() {
        while (true) {
            RegistryEvent next;
            synchronized (unannounced) {
                if (announcing || unannounced.isEmpty()) {
                    return;
                }
                next = unannounced.poll();
                announcing = true;
            }
            try {
                listeners.publishEvent(next);
            } finally {
                synchronized (unannounced) {
                    announcing = false;
                }
            }
        }
    }
}
