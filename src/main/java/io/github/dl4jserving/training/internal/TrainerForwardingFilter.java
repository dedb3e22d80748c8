package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.platform.FilterOrder;
import io.github.dl4jserving.platform.FilterProblems;
import io.github.dl4jserving.platform.RoutePolicy;
import io.github.dl4jserving.training.TrainingSettings;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Training stays single-writer across replicas: one replica, the trainer, runs every job and keeps
 * every job record and uploaded data set. On the other replicas ({@code dl4j-serving.training.trainer-url}
 * set) this filter forwards the {@link io.github.dl4jserving.platform.TrainerOwned} routes ({@code /jobs},
 * {@code /datasets}, {@code /trainers}) to the trainer and
 * streams its answer back, event streams included, so a client behind a load balancer reaches its job
 * whichever replica it lands on. The trainer checks the API key again; this replica checked it first.
 */
@Component
@Order(FilterOrder.TRAINER_FORWARDING)
class TrainerForwardingFilter extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger(TrainerForwardingFilter.class);
    /** Request headers the trainer needs; hop-by-hop and Host headers are the client's own. */
    private static final List<String> REQUEST_HEADERS = List.of(
            "content-type", "accept", "authorization", "x-api-key", "last-event-id", "accept-language", "traceparent");

    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "keep-alive",
            "transfer-encoding",
            "te",
            "trailer",
            "upgrade",
            "content-length",
            "date",
            ":status");

    private final URI trainer;
    private final HttpClient client;
    private final RoutePolicy routes;

    TrainerForwardingFilter(TrainingSettings settings, RoutePolicy routes) {
        this.routes = routes;
        String trainerUrl = settings.trainerUrl();
        this.trainer = trainerUrl == null || trainerUrl.isBlank()
                ? null
                : URI.create(trainerUrl.endsWith("/") ? trainerUrl.substring(0, trainerUrl.length() - 1) : trainerUrl);
        this.client = trainer == null
                ? null
                : HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
        if (trainer != null) {
            log.info("Training requests (/jobs, /datasets, /trainers) are forwarded to the trainer at {}", trainer);
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return trainer == null || !routes.trainerOwned(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        URI target;
        try {
            target = URI.create(trainer + request.getRequestURI() + (query == null ? "" : "?" + query));
        } catch (IllegalArgumentException e) {
            FilterProblems.write(
                    request,
                    response,
                    HttpStatus.BAD_REQUEST,
                    "The request's address is not a valid URI (a '%' must start a two-digit hex escape).");
            return;
        }
        long length = request.getContentLengthLong();
        HttpRequest.BodyPublisher body = length == 0
                ? HttpRequest.BodyPublishers.noBody()
                : length > 0
                        ? HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(() -> stream(request)), length)
                        : HttpRequest.BodyPublishers.ofInputStream(() -> stream(request));
        HttpRequest.Builder forward = HttpRequest.newBuilder(target).method(request.getMethod(), body);
        for (String name : REQUEST_HEADERS) {
            String value = request.getHeader(name);
            if (value != null) {
                forward.header(name, value);
            }
        }
        forward.header("X-Forwarded-For", request.getRemoteAddr());
        if (routes.eventStream(request)) {
            forwardStream(request, response, forward.build());
            return;
        }
        HttpResponse<InputStream> answer;
        try {
            answer = client.send(forward.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            log.warn("The trainer at {} did not answer {} {}: {}", trainer, request.getMethod(), target, e.toString());
            FilterProblems.write(
                    request,
                    response,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "Training runs on the trainer replica, which cannot be reached right now. Try again shortly.");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        answerHead(answer.statusCode(), answer.headers(), response);
        try (InputStream in = answer.body()) {
            OutputStream out = response.getOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush(); // event streams: each event as it comes
            }
        } catch (IOException e) {
            // The client went away (or the trainer did, mid-answer): closing the trainer's stream ends both.
            log.debug("Forwarding {} {} ended early: {}", request.getMethod(), target, e.toString());
        }
    }

    /**
     * Forwards an event stream without holding a thread while it is quiet: the request goes
     * asynchronous, and the client's threads write each chunk of the trainer's answer as it arrives.
     * Before, each stream held a request thread for as long as its job ran, and 600 of them took every
     * thread of a forwarding replica, so its /predict and liveness stopped answering.
     */
    private void forwardStream(HttpServletRequest request, HttpServletResponse response, HttpRequest forward)
            throws IOException {
        AsyncContext async = request.startAsync();
        async.setTimeout(0); // the trainer ends the stream: the job's end, its timeouts, or the client's leaving
        ServletOutputStream out = response.getOutputStream();
        AtomicBoolean done = new AtomicBoolean();
        Runnable complete = () -> {
            if (done.compareAndSet(false, true)) {
                async.complete();
            }
        };
        client.sendAsync(forward, info -> {
                    answerHead(info.statusCode(), info.headers(), response);
                    return HttpResponse.BodySubscribers.fromSubscriber(new Flow.Subscriber<List<ByteBuffer>>() {
                        private Flow.Subscription subscription;

                        @Override
                        public void onSubscribe(Flow.Subscription s) {
                            subscription = s;
                            s.request(1);
                        }

                        @Override
                        public void onNext(List<ByteBuffer> chunks) {
                            try {
                                for (ByteBuffer chunk : chunks) {
                                    byte[] bytes = new byte[chunk.remaining()];
                                    chunk.get(bytes);
                                    out.write(bytes);
                                }
                                out.flush(); // each event as it comes
                                subscription.request(1);
                            } catch (IOException | RuntimeException e) {
                                log.debug("Forwarding {} ended: the client went away", forward.uri());
                                subscription.cancel(); // closes the trainer's stream
                                complete.run();
                            }
                        }

                        @Override
                        public void onError(Throwable e) {
                            complete.run();
                        }

                        @Override
                        public void onComplete() {
                            complete.run();
                        }
                    });
                })
                .exceptionally(e -> {
                    if (!response.isCommitted()) {
                        log.warn("The trainer at {} did not answer GET {}: {}", trainer, forward.uri(), e.toString());
                        try {
                            FilterProblems.write(
                                    request,
                                    response,
                                    HttpStatus.SERVICE_UNAVAILABLE,
                                    "Training runs on the trainer replica, which cannot be reached right now. "
                                            + "Try again shortly.");
                        } catch (IOException | RuntimeException ignored) {
                            // the client is gone as well
                        }
                    }
                    complete.run();
                    return null;
                });
    }

    /** The trainer's status and headers, but for the hop-by-hop ones, as this replica's answer. */
    private static void answerHead(int status, HttpHeaders headers, HttpServletResponse response) {
        response.setStatus(status);
        headers.map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> response.addHeader(name, v));
            }
        });
    }

    private static InputStream stream(HttpServletRequest request) {
        try {
            return request.getInputStream();
        } catch (IOException e) {
            return InputStream.nullInputStream();
        }
    }
}
