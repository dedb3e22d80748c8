package io.github.dl4jserving.platform;

import org.springframework.core.Ordered;

/**
 * The order of the service's servlet filters, in one place. Each runs before those below it:
 * headers go on every answer, refusals included; a malformed request or an oversized body is
 * refused before a key is looked at; the key is checked before anything is counted against a
 * limit or forwarded; the in-flight limit comes last, since it reads the body.
 */
public final class FilterOrder {
    /** The {@link RequestStages} event of an inference request, around everything else. */
    public static final int REQUEST_STAGES = Ordered.HIGHEST_PRECEDENCE;
    /** Security headers on every answer. */
    public static final int SECURITY_HEADERS = REQUEST_STAGES + 1;
    /** A malformed query string, parameter or charset: refused before anything reads the request. */
    public static final int MALFORMED_REQUEST = SECURITY_HEADERS + 1;
    /** {@code max-body-size} (and {@code max-dataset-size} for {@link LargeBody} routes). */
    public static final int BODY_SIZE = MALFORMED_REQUEST + 1;
    /** The credentials and the API key, by {@link RoutePolicy#changesState}. */
    public static final int API_KEY = BODY_SIZE + 1;
    /** {@code max-event-streams}, per client and in all. */
    public static final int EVENT_STREAMS = API_KEY + 1;
    /** {@link TrainerOwned} routes to the trainer replica, where one is configured. */
    public static final int TRAINER_FORWARDING = EVENT_STREAMS + 1;
    /** The inference body read under its deadline, then an in-flight slot. */
    public static final int INFERENCE_LIMIT = TRAINER_FORWARDING + 1;

    private FilterOrder() {}
}
