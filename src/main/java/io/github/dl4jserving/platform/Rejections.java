package io.github.dl4jserving.platform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Counts refused inference requests as {@code dl4j.inference.rejected}, tagged by {@code reason}
 * ({@code queue_full}, {@code bad_input}, {@code too_large}, {@code not_found}) and by the model
 * and version when they are known; {@code unknown} otherwise, so an unknown name sent by a client
 * can never create a new time series.
 */
@Component
public class Rejections {
    public static final String UNKNOWN = "unknown";
    private final MeterRegistry meters;

    public Rejections(MeterRegistry meters) {
        this.meters = meters;
    }

    public void count(String reason, String model, String version) {
        Counter.builder("dl4j.inference.rejected")
                .description("Inference requests refused, by reason")
                .tag("model", model)
                .tag("version", version)
                .tag("reason", reason)
                .register(meters)
                .increment();
    }
}
