package io.github.dl4jserving.platform;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Load shedding for inference: at most {@code dl4j-serving.max-inflight-inference} inference
 * requests are inside the service at once; the next one gets 503 with Retry-After at once, before
 * its body is read or parsed, so an overload costs the refused clients almost nothing and the
 * accepted ones keep their latency. 0 turns the limit off.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class InferenceConcurrencyLimit extends OncePerRequestFilter {
    private static final Pattern INFERENCE = Pattern.compile(
            "/predict(/[^/]+)?|/prepare|/generate|/v2/models/[^/]+(/versions/[^/]+)?/infer");

    private final Semaphore permits;
    private final int limit;
    private final Rejections rejections;

    InferenceConcurrencyLimit(ServingProperties properties, Rejections rejections) {
        this.limit = properties.maxInflightInference();
        this.permits = limit > 0 ? new Semaphore(limit) : null;
        this.rejections = rejections;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return permits == null || !INFERENCE.matcher(request.getRequestURI()).matches();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!permits.tryAcquire()) {
            rejections.count("overloaded", Rejections.UNKNOWN, Rejections.UNKNOWN);
            response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
            response.setHeader(HttpHeaders.RETRY_AFTER, "1");
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
                    + "\"detail\":\"The service is at its limit of " + limit + " inference requests in progress. "
                    + "Retry shortly.\"}");
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            permits.release();
        }
    }
}
