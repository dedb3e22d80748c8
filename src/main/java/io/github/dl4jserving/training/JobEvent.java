package io.github.dl4jserving.training;

import java.util.Map;

/**
 * One server-sent event of a job: {@code progress} (iterations, at most a few per second),
 * {@code epoch} (after each epoch) or {@code status} (every change of status; the last one is final).
 */
public record JobEvent(String type, Map<String, Object> data) {}
