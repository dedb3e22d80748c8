package io.github.dl4jserving.platform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Counts refused inference requests as {@code dl4j.inference.rejected}, tagged by {@code reason}
 * (a {@link Rejection}) and by the model and version when they are known; {@code unknown}
 * otherwise, so an unknown name sent by a client can never create a new time series. A refusal is
 * counted in one place: a filter's own refusals where the filter answers, every
 * {@link ServiceException} where it is turned into an answer.
 */
@Component
public class Rejections {
    public static final String UNKNOWN = "unknown";
    private final MeterRegistry meters;

    public Rejections(MeterRegistry meters) {
        this.meters = meters;
    }

    /** A refusal before any model was chosen. */
    public void count(Rejection reason) {
        count(reason, UNKNOWN, UNKNOWN);
    }

    /** The refusal {@code e} carries, if it refuses an inference request. */
    public void count(ServiceException e) {
        Rejection reason = e.rejection();
        if (reason == null) {
            return;
        }
        if (e.refusedModel() != null) {
            count(reason, e.refusedModel(), e.refusedVersion());
        } else if (reason.countsBeforeModel()) {
            count(reason);
        }
    }

    private void count(Rejection reason, String model, String version) {
        Counter.builder("dl4j.inference.rejected")
                .description("Inference requests refused, by reason")
                .tag("model", model)
                .tag("version", version)
                .tag("reason", reason.tag())
                .register(meters)
                .increment();
    }
}
