package io.github.dl4jserving.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class RejectionsTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Rejections rejections = new Rejections(meters);

    private static ServiceException refusal(Rejection reason) {
        return new ServiceException(HttpStatus.BAD_REQUEST, "Refused", "refused", null, reason, null, null);
    }

    private double count(String reason, String model, String version) {
        Counter c = meters.find("dl4j.inference.rejected")
                .tags("reason", reason, "model", model, "version", version)
                .counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aRefusalOnTheInferencePathIsCountedAgainstItsModelAndVersion() {
        ServiceException e = refusal(Rejection.BAD_INPUT);
        e.refusedBy("mnist-mlp", "2");
        e.refusedBy("other", "9"); // the first model it was refused by stays
        rejections.count(e);

        assertThat(count("bad_input", "mnist-mlp", "2")).isEqualTo(1);
        assertThat(count("bad_input", "unknown", "unknown")).isZero();
        assertThat(meters.find("dl4j.inference.rejected").counters()).hasSize(1);
    }

    @Test
    void aBadInputBeforeAnyModelIsCountedAsUnknown() {
        rejections.count(refusal(Rejection.TOO_LARGE));
        rejections.count(Rejection.TOO_SLOW);

        assertThat(count("too_large", "unknown", "unknown")).isEqualTo(1);
        assertThat(count("too_slow", "unknown", "unknown")).isEqualTo(1);
    }

    @Test
    void aMissingModelOrFullQueueCountsOnlyOnTheInferencePath() {
        rejections.count(refusal(Rejection.NOT_FOUND)); // GET /models/x that found nothing
        rejections.count(refusal(Rejection.QUEUE_FULL));
        rejections.count(refusal(null)); // a refusal that is never an inference rejection

        assertThat(meters.find("dl4j.inference.rejected").counters()).isEmpty();

        ServiceException notFound = refusal(Rejection.NOT_FOUND);
        notFound.refusedBy(Rejections.UNKNOWN, Rejections.UNKNOWN);
        rejections.count(notFound);
        assertThat(count("not_found", "unknown", "unknown")).isEqualTo(1);
    }

    @Test
    void everyReasonHasTheTagTheDashboardsUse() {
        assertThat(Rejection.values())
                .extracting(Rejection::tag)
                .containsExactly("bad_input", "too_large", "not_found", "queue_full", "overloaded", "too_slow");
    }
}
