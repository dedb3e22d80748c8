package io.github.dl4jserving.platform;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The {@code dl4j-serving.max-inflight-inference} slots, one pool for every wire an inference
 * request comes in on (REST through {@link InferenceConcurrencyLimit}, gRPC through its service), so
 * the limit holds for the service as a whole. A request that finds every slot taken is refused at
 * once with a retry hint rather than queued. 0 turns the limit off.
 *
 * <p>The gauges {@code dl4j.inference.inflight} (requests in progress now) and {@code
 * dl4j.inference.inflight.limit} (the setting; 0 for none) show how close the service runs to it.
 */
@Component
public class InferenceSlots {
    private final int limit;
    private final Semaphore permits;
    private final AtomicInteger inflight = new AtomicInteger();

    InferenceSlots(PlatformSettings settings, MeterRegistry meters) {
        this.limit = settings.maxInflightInference();
        this.permits = limit > 0 ? new Semaphore(limit) : null;
        Gauge.builder("dl4j.inference.inflight", inflight, AtomicInteger::get)
                .description("Inference requests in progress, against dl4j.inference.inflight.limit")
                .register(meters);
        Gauge.builder("dl4j.inference.inflight.limit", () -> limit)
                .description(
                        "dl4j-serving.max-inflight-inference: inference requests allowed in progress (0: no limit)")
                .register(meters);
    }

    /** Whether every slot is taken now: a cheap early refusal before any work on the request. */
    public boolean full() {
        return permits != null && permits.availablePermits() == 0;
    }

    /** Takes a slot if one is free; each true must be followed by one {@link #release()}. */
    public boolean tryAcquire() {
        if (permits != null && !permits.tryAcquire()) {
            return false;
        }
        inflight.incrementAndGet();
        return true;
    }

    public void release() {
        inflight.decrementAndGet();
        if (permits != null) {
            permits.release();
        }
    }

    /** Inference requests inside the service now. */
    public int inflight() {
        return inflight.get();
    }

    /** Why a request was refused, for its answer. */
    public String busyDetail() {
        return "The service is at its limit of " + limit + " inference requests in progress. Retry shortly.";
    }
}
