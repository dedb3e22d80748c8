package io.github.dl4jserving.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;

/** Inference beyond the in-flight limit is refused at once with 503 and Retry-After; the rest passes. */
class InferenceConcurrencyLimitTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private InferenceConcurrencyLimit limit(int n) {
        PlatformSettings settings = new PlatformSettings(
                DataSize.ofMegabytes(10),
                1,
                n,
                java.time.Duration.ofSeconds(10),
                DataSize.ofKilobytes(64),
                384,
                1000,
                16);
        return new InferenceConcurrencyLimit(
                settings,
                new Rejections(meters),
                meters,
                ServiceRoutes.policy(),
                new InferenceSlots(settings, meters),
                300);
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    @Test
    void theRequestBeyondTheLimitGets503WhileTheFirstIsStillRunning() throws Exception {
        InferenceConcurrencyLimit filter = limit(1);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
            try {
                filter.doFilter(
                        new MockHttpServletRequest("POST", "/predict"), new MockHttpServletResponse(), (req, res) -> {
                            inside.countDown();
                            try {
                                release.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(gauge("dl4j.inference.inflight")).isEqualTo(1);
        assertThat(gauge("dl4j.inference.inflight.limit")).isEqualTo(1);

        MockHttpServletResponse refused = new MockHttpServletResponse();
        boolean[] reached = {false};
        MockHttpServletRequest withBody = new MockHttpServletRequest("POST", "/v2/models/mnist-mlp/infer");
        withBody.setContentType("application/json");
        withBody.setContent(new byte[1000]);
        filter.doFilter(withBody, refused, (req, res) -> reached[0] = true);
        assertThat(reached[0]).isFalse();
        assertThat(withBody.getInputStream().readAllBytes())
                .as("refused before its body was read")
                .hasSize(1000);
        assertThat(refused.getStatus()).isEqualTo(503);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
        assertThat(refused.getContentType()).startsWith("application/problem+json");

        MockHttpServletResponse other = new MockHttpServletResponse();
        filter.doFilter(new MockHttpServletRequest("GET", "/models"), other, (req, res) -> reached[0] = true);
        assertThat(reached[0]).as("not inference: not limited").isTrue();

        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        reached[0] = false;
        filter.doFilter(
                new MockHttpServletRequest("POST", "/predict/mnist-mlp"),
                new MockHttpServletResponse(),
                (req, res) -> reached[0] = true);
        assertThat(reached[0]).as("the permit came back").isTrue();
        assertThat(gauge("dl4j.inference.inflight")).isZero();
    }

    @Test
    void zeroTurnsTheLimitOff() throws Exception {
        InferenceConcurrencyLimit filter = limit(0);
        double[] seen = {-1};
        filter.doFilter(
                new MockHttpServletRequest("POST", "/predict"),
                new MockHttpServletResponse(),
                (req, res) -> seen[0] = gauge("dl4j.inference.inflight"));
        assertThat(seen[0]).as("counted even without a limit").isEqualTo(1);
        assertThat(gauge("dl4j.inference.inflight")).isZero();
        assertThat(gauge("dl4j.inference.inflight.limit")).isZero();
    }
}
