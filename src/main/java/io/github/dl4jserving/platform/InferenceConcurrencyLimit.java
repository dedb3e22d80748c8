package io.github.dl4jserving.platform;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Load shedding for inference, in two stages.
 *
 * <p>First the body is read in full, before the request takes any inference capacity: at most
 * {@code dl4j-serving.max-body-reads} requests read at once (more get 503 at once), Tomcat's upload
 * timeout ends a body that stalls for {@code body-read-timeout}, and a raw body must be in within
 * {@code body-read-timeout + length / body-min-rate}; a sender too slow for either gets 408. This
 * holds for multipart bodies too: they are read as bytes and parsed from memory ({@link ReadBody}).
 * A slow sender therefore holds a Tomcat thread for a bounded time and never an inference slot:
 * before, 64 connections that sent one byte of their body made every {@code /predict} answer 503
 * until Tomcat's idle timeout.
 *
 * <p>Then at most {@code dl4j-serving.max-inflight-inference} requests are inside the service at
 * once, gRPC's among them ({@link InferenceSlots}); the next one gets 503 with Retry-After at once,
 * so an overload costs the refused clients almost nothing and the accepted ones keep their latency. 0 turns the limit off. A request that
 * arrives while every slot is taken is refused before its body is read, as before the two stages.
 *
 * <p>The gauge {@code dl4j.inference.body.reads} (bodies being read now) shows how close the service
 * runs to the first stage, {@link InferenceSlots}' gauges to the second.
 */
@Component
@Order(FilterOrder.INFERENCE_LIMIT)
class InferenceConcurrencyLimit extends OncePerRequestFilter {
    private final RoutePolicy routes;

    private final InferenceSlots slots;
    private final Semaphore reads;
    private final long readTimeoutNanos;
    private final long minBytesPerSecond;
    private final int maxParts;
    private final Rejections rejections;
    private final AtomicInteger reading = new AtomicInteger();

    InferenceConcurrencyLimit(
            PlatformSettings properties,
            Rejections rejections,
            MeterRegistry meters,
            RoutePolicy routes,
            InferenceSlots slots,
            @Value("${server.tomcat.max-part-count:10}") int maxParts) {
        this.routes = routes;
        this.maxParts = maxParts;
        this.slots = slots;
        this.reads = new Semaphore(Math.max(1, properties.maxBodyReads()));
        this.readTimeoutNanos = properties.bodyReadTimeout().toNanos();
        this.minBytesPerSecond = Math.max(1, properties.bodyMinRate().toBytes());
        this.rejections = rejections;
        Gauge.builder("dl4j.inference.body.reads", reading, AtomicInteger::get)
                .description("Inference request bodies being read, before they take an inference slot")
                .register(meters);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !routes.isInference(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // Every slot busy with requests whose bodies are in: refuse at once, without reading this
        // body, as cheaply as before. Slow senders hold no slot, so they cannot cause this.
        if (slots.full()) {
            busy(request, response, slots.busyDetail());
            return;
        }
        HttpServletRequest read = readBody(request, response);
        if (read == null) {
            return;
        }
        if (!slots.tryAcquire()) {
            busy(request, response, slots.busyDetail());
            return;
        }
        try {
            chain.doFilter(read, response);
        } finally {
            slots.release();
        }
    }

    /**
     * The request with its body read, or null when it was refused (and answered): too many bodies
     * being read, a sender too slow, or a body over the size limit.
     */
    private HttpServletRequest readBody(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!hasBody(request)) {
            return request;
        }
        if (!reads.tryAcquire()) {
            busy(
                    request,
                    response,
                    "The service is reading as many request bodies as it allows (dl4j-serving.max-body-reads). "
                            + "Retry shortly.");
            return null;
        }
        reading.incrementAndGet();
        long start = System.nanoTime();
        try {
            byte[] body = readAll(request, start);
            RequestStages.read(System.nanoTime() - start);
            return body == null ? tooSlow(request, response) : new ReadBody(request, body, maxParts);
        } catch (PayloadTooLargeException e) {
            rejections.count(Rejection.TOO_LARGE);
            response.setHeader(HttpHeaders.CONNECTION, "close");
            FilterProblems.write(request, response, HttpStatus.CONTENT_TOO_LARGE, e.getMessage());
            return null;
        } catch (IOException e) {
            if (timedOut(e)) {
                return tooSlow(request, response);
            }
            throw e;
        } finally {
            reading.decrementAndGet();
            reads.release();
        }
    }

    /** 503 with Retry-After: the client may try again in a second. */
    private void busy(HttpServletRequest request, HttpServletResponse response, String why) throws IOException {
        rejections.count(Rejection.OVERLOADED);
        response.setHeader(HttpHeaders.RETRY_AFTER, "1");
        FilterProblems.write(request, response, HttpStatus.SERVICE_UNAVAILABLE, why);
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }

    /**
     * The whole body, or null when it did not arrive within its deadline. A declared length (at most
     * max-body-size: BodySizeLimitFilter refused more) is read straight into an array of that size;
     * a chunked body grows a buffer as it comes.
     */
    private byte[] readAll(HttpServletRequest request, long start) throws IOException {
        long declared = request.getContentLengthLong();
        InputStream in = request.getInputStream();
        if (declared >= 0) {
            byte[] body = new byte[(int) declared];
            int off = 0;
            while (off < body.length) {
                int n = in.read(body, off, body.length - off);
                if (n < 0) {
                    return Arrays.copyOf(body, off); // the client stopped early: the parsers say what is missing
                }
                off += n;
                if (off < body.length && overDeadline(start, declared)) {
                    return null;
                }
            }
            return body;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        byte[] chunk = new byte[8192];
        for (int n; (n = in.read(chunk)) >= 0; ) {
            out.write(chunk, 0, n);
            if (overDeadline(start, out.size())) {
                return null;
            }
        }
        return out.toByteArray();
    }

    /** Whether a body of {@code length} bytes, begun at {@code start}, has taken longer than it may. */
    private boolean overDeadline(long start, long length) {
        long allowed = readTimeoutNanos + Math.max(0, length) * 1_000_000_000L / minBytesPerSecond;
        return System.nanoTime() - start > allowed;
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private HttpServletRequest tooSlow(HttpServletRequest request, HttpServletResponse response) throws IOException {
        rejections.count(Rejection.TOO_SLOW);
        response.setHeader(HttpHeaders.CONNECTION, "close");
        FilterProblems.write(
                request,
                response,
                HttpStatus.REQUEST_TIMEOUT,
                "The request body arrived too slowly: it must not stall for more than "
                        + readTimeoutNanos / 1_000_000_000L + " s (dl4j-serving.body-read-timeout) and must arrive at "
                        + minBytesPerSecond / 1024 + " KB/s or faster after that (dl4j-serving.body-min-rate).");
        return null;
    }
}
