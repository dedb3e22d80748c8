package io.github.dl4jserving.web;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Closes job event streams that have sent nothing for a while, on one timer thread for all of them:
 * a stream on a job that waits in the queue, or whose client stopped reading, otherwise holds its
 * connection until the job ends. The client's EventSource reconnects and is sent the current status.
 */
@Component
class IdleEventStreams {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "idle-event-streams");
        t.setDaemon(true);
        return t;
    });

    /**
     * Completes {@code emitter} once {@code lastSent} (nanoTime) is older than {@code idle}. Returns
     * the call that stops watching, for when the stream ends otherwise.
     */
    Runnable watch(SseEmitter emitter, AtomicLong lastSent, Duration idle) {
        long idleNanos = idle.toNanos();
        long period = Math.max(1, idle.toMillis() / 4);
        ScheduledFuture<?>[] check = new ScheduledFuture<?>[1];
        check[0] = timer.scheduleAtFixedRate(
                () -> {
                    if (System.nanoTime() - lastSent.get() > idleNanos) {
                        check[0].cancel(false);
                        emitter.complete();
                    }
                },
                period,
                period,
                TimeUnit.MILLISECONDS);
        return () -> check[0].cancel(false);
    }

    @PreDestroy
    void close() {
        timer.shutdownNow();
    }
}
