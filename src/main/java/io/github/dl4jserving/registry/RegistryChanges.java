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
    /** The events of the change the current thread is making, while it makes one. */
    private final ThreadLocal<List<RegistryEvent>> making = new ThreadLocal<>();

    RegistryChanges(ApplicationEventPublisher listeners) {
        this.listeners = listeners;
    }

    /** Runs {@code change} under the lock, then announces its events. */
    <T> T make(Change<T> change) throws IOException {
        T result;
        synchronized (lock) {
            List<RegistryEvent> events = new ArrayList<>();
            List<RegistryEvent> outer = making.get();
            making.set(events);
            try {
                result = change.apply(events);
            } finally {
                making.set(outer);
            }
            synchronized (unannounced) {
                unannounced.addAll(events);
            }
        }
        announce();
        return result;
    }

    /**
     * Announces an event that changes nothing under the lock (a network released after its last
     * request), after the events already queued, or, when the thread is making a change, with that
     * change's events; the lock is not taken, so a request thread that ends a lease never waits for
     * a scan.
     */
    void tell(RegistryEvent event) {
        List<RegistryEvent> change = making.get();
        if (change != null) {
            change.add(event); // told by the change itself: after the events it listed so far
            return;
        }
        synchronized (unannounced) {
            unannounced.add(event);
        }
        announce();
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
