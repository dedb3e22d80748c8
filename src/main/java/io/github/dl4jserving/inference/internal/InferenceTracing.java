package io.github.dl4jserving.inference.internal;

import io.github.dl4jserving.platform.RequestStages;
import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The spans of one inference request, children of its HTTP server span: {@code dl4j.decode} (images
 * decoded and prepared on the caller's thread) and {@code dl4j.queue} (from joining the version's
 * batch queue until a worker takes it); and one {@code dl4j.forward} span per batch, which links to
 * every sampled request it served, since a forward pass belongs to many traces at once.
 *
 * <p>With tracing off ({@link Tracer#NOOP}) or a request not sampled, nothing is created: the
 * request carries a null context and the batch checks a flag per job.
 */
public final class InferenceTracing {
    /** No spans at all. */
    public static final InferenceTracing OFF = new InferenceTracing(Tracer.NOOP);

    private final Tracer tracer;

    public InferenceTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /**
     * Runs {@code decode} in a {@code dl4j.decode} span when the current request is sampled, and
     * adds its time to the request's {@link RequestStages}.
     */
    public <T> T decode(int images, Supplier<T> decode) {
        long start = System.nanoTime();
        try {
            return traced(images, decode);
        } finally {
            RequestStages.decode(System.nanoTime() - start);
        }
    }

    private <T> T traced(int images, Supplier<T> decode) {
        Span parent = sampledCurrentSpan();
        if (parent == null) {
            return decode.get();
        }
        Span span = tracer.nextSpan(parent)
                .name("dl4j.decode")
                .tag("images", images)
                .start();
        Tracer.SpanInScope scope = tracer.withSpan(span);
        try {
            return decode.get();
        } catch (RuntimeException e) {
            span.error(e);
            throw e;
        } finally {
            scope.close();
            span.end();
        }
    }

    /** The current request's context, to be carried through the queue; null unless sampled. */
    TraceContext capture() {
        Span current = sampledCurrentSpan();
        return current == null ? null : current.context();
    }

    private Span sampledCurrentSpan() {
        if (tracer == Tracer.NOOP) {
            return null;
        }
        Span current = tracer.currentSpan();
        return current == null || !Boolean.TRUE.equals(current.context().sampled()) ? null : current;
    }

    /** A request in a batch: its context (or null), when it joined the queue, and its rows. */
    record Traced(TraceContext context, long arrivalNanos, int rows) {}

    /**
     * Records, for a batch that started at {@code startNanos} and ended at {@code endNanos}
     * ({@link System#nanoTime}), each sampled request's queue span and the batch's forward span
     * linked to them.
     */
    void batch(String label, List<Traced> requests, long startNanos, long endNanos) {
        if (tracer == Tracer.NOOP || requests.stream().allMatch(r -> r.context() == null)) {
            return;
        }
        // Spans take wall-clock times; the queue measured with nanoTime, so convert at one instant.
        long wallOffset = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()) - System.nanoTime();
        Span.Builder forward = tracer.spanBuilder()
                .setNoParent()
                .name("dl4j.forward")
                .tag("model", label)
                .tag("requests", requests.size())
                .tag("rows", requests.stream().mapToInt(Traced::rows).sum())
                .startTimestamp(startNanos + wallOffset, TimeUnit.NANOSECONDS);
        for (Traced r : requests) {
            if (r.context() == null) {
                continue;
            }
            forward.addLink(new Link(r.context()));
            tracer.spanBuilder()
                    .setParent(r.context())
                    .name("dl4j.queue")
                    .tag("model", label)
                    .startTimestamp(r.arrivalNanos() + wallOffset, TimeUnit.NANOSECONDS)
                    .start()
                    .end(startNanos + wallOffset, TimeUnit.NANOSECONDS);
        }
        forward.start().end(endNanos + wallOffset, TimeUnit.NANOSECONDS);
    }
}
