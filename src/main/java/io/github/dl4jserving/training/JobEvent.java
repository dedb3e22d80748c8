package io.github.dl4jserving.training;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One server-sent event of a job: {@code progress} (iterations, at most a few per second),
 * {@code epoch} (after each epoch) or {@code status} (every change of status; the last one is final).
 */
public record JobEvent(String type, Map<String, Object> data) {

    /** The {@code status} event of {@code job} as it stands. */
    static JobEvent status(TrainingJob job) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", job.id());
        d.put("status", job.status().name());
        d.put("progress", job.progress());
        d.put("epoch", job.epoch());
        d.put("iteration", job.iteration());
        if (job.resultVersion() != null) {
            d.put("resultVersion", job.resultVersion());
            d.put("promoted", job.promoted());
            d.put("promotionReason", job.promotionReason());
        }
        if (job.error() != null) {
            d.put("error", job.error());
        }
        return new JobEvent("status", d);
    }
}
