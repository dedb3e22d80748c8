package io.github.dl4jserving.platform;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Load shedding for inference: at most {@code dl4j-serving.max-inflight-inference} inference
 * requests are inside the service at once; the next one gets 503 with Retry-After at once, before
 * its body is read or parsed, so an overload costs the refused clients almost nothing and the
 * accepted ones keep their latency. 0 turns the limit off.
 *
 * <p>The gauges {@code dl4j.inference.inflight} (requests in progress now) and
 * {@code dl4j.inference.inflight.limit} (the setting; 0 for none) show how close the service runs to it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3)
class InferenceConcurrencyLimit extends OncePerRequestFilter {
    /** The inference POSTs, and the generator's GET grid. */
    private static final Pattern INFERENCE = Pattern.compile(ApiKeyFilter.INFERENCE_POSTS + "|/generate");

    private final Semaphore permits;
    private final int limit;
    private final Rejections rejections;
    private final AtomicInteger inflight = new AtomicInteger();

    InferenceConcurrencyLimit(PlatformSettings properties, Rejections rejections, MeterRegistry meters) {
        this.limit = properties.maxInflightInference();
        this.permits = limit > 0 ? new Semaphore(limit) : null;
        this.rejections = rejections;
        Gauge.builder("dl4j.inference.inflight", inflight, AtomicInteger::get)
                .description("Inference requests in progress, against dl4j.inference.inflight.limit")
                .register(meters);
        Gauge.builder("dl4j.inference.inflight.limit", () -> limit)
                .description(
                        "dl4j-serving.max-inflight-inference: inference requests allowed in progress (0: no limit)")
                .register(meters);
    }

    /** Inference requests inside the service now. */
    int inflight() {
        return inflight.get();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !INFERENCE.matcher(request.getRequestURI()).matches();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (permits != null && !permits.tryAcquire()) {
            rejections.count("overloaded", Rejections.UNKNOWN, Rejections.UNKNOWN);
            response.setHeader(HttpHeaders.RETRY_AFTER, "1");
            FilterProblems.write(
                    response,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "The service is at its limit of " + limit + " inference requests in progress. Retry shortly.",
                    null);
            return;
        }
        inflight.incrementAndGet();
        try {
            chain.doFilter(request, response);
        } finally {
            inflight.decrementAndGet();
            if (permits != null) {
                permits.release();
            }
        }
    }
}
