package io.github.dl4jserving.platform;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds the open {@code GET /jobs/{id}/events} streams, in all and per client address; a stream
 * beyond either gets 429 with Retry-After before it opens. A stream holds a connection for as long
 * as its job runs (hours), so without a bound 8,400 of them from one address took every connection
 * Tomcat accepts, and liveness with them. A stream counts until it ends, whichever way: the job
 * finished, the client went, or a timeout.
 *
 * <p>The client address is the connection's, or, when the connection comes from this network (a
 * replica forwarding to the trainer, an ingress), the first address of X-Forwarded-For: otherwise
 * every client of a forwarding replica would share its one address.
 */
@Component
@Order(FilterOrder.EVENT_STREAMS)
class EventStreamLimit extends OncePerRequestFilter {
    private final RoutePolicy routes;

    private final int total;
    private final int perClient;
    private final AtomicInteger open = new AtomicInteger();
    /** Open streams per client address; an address leaves the map when its last stream ends. */
    private final Map<String, Integer> byClient = new ConcurrentHashMap<>();

    EventStreamLimit(PlatformSettings settings, MeterRegistry meters, RoutePolicy routes) {
        this.routes = routes;
        this.total = settings.maxEventStreams();
        this.perClient = settings.maxEventStreamsPerClient();
        Gauge.builder("dl4j.training.event.streams", open, AtomicInteger::get)
                .description("Open job event streams, against dl4j-serving.max-event-streams")
                .register(meters);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !routes.eventStream(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String client = client(request);
        if (byClient.merge(client, 1, Integer::sum) > perClient) {
            release(client, false);
            refuse(
                    request,
                    response,
                    "This client already follows " + perClient
                            + " job event streams (dl4j-serving.max-event-streams-per-client). Close one, or poll GET "
                            + "/jobs/{id} instead.");
            return;
        }
        if (open.incrementAndGet() > total) {
            release(client, true);
            refuse(
                    request,
                    response,
                    "The service already serves " + total
                            + " job event streams (dl4j-serving.max-event-streams). Retry later, or poll GET /jobs/{id}.");
            return;
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable end = () -> {
            if (released.compareAndSet(false, true)) {
                release(client, true);
            }
        };
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        end.run();
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {
                        end.run();
                    }

                    @Override
                    public void onError(AsyncEvent event) {
                        end.run();
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event) {}
                });
            } else {
                end.run();
            }
        }
    }

    private void release(String client, boolean counted) {
        if (counted) {
            open.decrementAndGet();
        }
        byClient.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, String detail)
            throws IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, "30");
        FilterProblems.write(request, response, HttpStatus.TOO_MANY_REQUESTS, detail);
    }

    /** The connection's address, or the forwarded client's when the connection is from this network. */
    static String client(HttpServletRequest request) {
        String remote = request.getRemoteAddr();
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank() && internal(remote)) {
            int comma = forwarded.indexOf(',');
            return (comma < 0 ? forwarded : forwarded.substring(0, comma)).trim();
        }
        return remote;
    }

    private static boolean internal(String address) {
        if (address == null || !IP_LITERAL.matcher(address).matches()) {
            return false; // never a name: nothing here is resolved through DNS
        }
        try {
            InetAddress a = InetAddress.getByName(address);
            return a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
}
