package io.github.dl4jserving.registry;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A version's network while it is in memory, and the requests using it. Unloading takes it out of
 * service at once, but its network is handed to {@code onIdle} only when the last lease ends: no
 * request ever runs on a released network.
 */
final class Resident {
    /** Set on {@link #state} once the version is being unloaded. */
    private static final int UNLOADING = 1;
    /** What one lease adds to {@link #state}. */
    private static final int LEASE = 2;

    private final LoadedModel model;
    private final long bytes;
    private final Consumer<Resident> onIdle;
    /** Leases times {@link #LEASE}, plus {@link #UNLOADING}: one word, so unloading and leasing never race. */
    private final AtomicInteger state = new AtomicInteger();

    Resident(LoadedModel model, long bytes, Consumer<Resident> onIdle) {
        this.model = model;
        this.bytes = bytes;
        this.onIdle = onIdle;
    }

    LoadedModel model() {
        return model;
    }

    /** Memory the version holds: its parameters and its batch workers' working memory. */
    long bytes() {
        return bytes;
    }

    /** Takes a lease, unless the version is being unloaded. */
    boolean acquire() {
        while (true) {
            int s = state.get();
            if ((s & UNLOADING) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s + LEASE)) {
                return true;
            }
        }
    }

    void release() {
        if (state.addAndGet(-LEASE) == UNLOADING) {
            onIdle.accept(this);
        }
    }

    /** Takes the version out of service; its network goes to {@code onIdle} after the last lease. */
    void unload() {
        int before = state.getAndUpdate(s -> s | UNLOADING);
        if (before == 0) {
            onIdle.accept(this);
        }
    }

    boolean inUse() {
        return state.get() >= LEASE;
    }
}
