package io.github.dl4jserving.training;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends job events to their subscribers on a thread of its own, in the order they happened. A slow
 * or stalled client delays other clients' events, never the training that produced them.
 */
final class JobEvents implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobEvents.class);
    private final ExecutorService fanOut = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "job-events");
        t.setDaemon(true);
        return t;
    });

    /** Queues {@code event} for each of {@code subscribers}; one that throws is dropped from the collection. */
    void send(JobEvent event, Collection<Consumer<JobEvent>> subscribers) {
        if (subscribers.isEmpty()) {
            return;
        }
        List<Consumer<JobEvent>> now = List.copyOf(subscribers);
        try {
            fanOut.execute(() -> {
                for (Consumer<JobEvent> s : now) {
                    try {
                        s.accept(event);
                    } catch (RuntimeException e) {
                        log.debug("Dropping a job event subscriber: {}", e.toString());
                        subscribers.remove(s);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            // shutting down: nobody is listening any more
        }
    }

    @Override
    public void close() {
        fanOut.shutdown();
    }
}
