package io.github.dl4jserving.platform;

import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A request the service refuses, with everything its answer needs: the status, a short title, the
 * detail (the message: what is wrong and what to send instead), the field at fault, how long to
 * wait before a retry, and the {@link Rejection} it counts as when it refuses an inference request.
 * Each module's refusals extend it, and one handler per answer shape maps them all (problem+json
 * for the REST API, the Open Inference Protocol's {@code {"error"}} for its routes).
 */
public class ServiceException extends RuntimeException {
    private final HttpStatus status;
    private final String title;
    private final String field;
    private final Integer retryAfterSeconds;
    private final Rejection rejection;
    private volatile String refusedModel;
    private volatile String refusedVersion;

    protected ServiceException(HttpStatus status, String title, String detail) {
        this(status, title, detail, null, null, null, null);
    }

    protected ServiceException(
            HttpStatus status,
            String title,
            String detail,
            String field,
            Rejection rejection,
            Integer retryAfterSeconds,
            Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.title = title;
        this.field = field;
        this.rejection = rejection;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The request field at fault, as the client wrote it ({@code data[3]}, {@code image}), or null. */
    public String field() {
        return field;
    }

    /** Seconds for the {@code Retry-After} header, or null when retrying the same request cannot help. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The reason this counts under when it refuses an inference request, or null when it never does. */
    public Rejection rejection() {
        return rejection;
    }

    /** Members the problem carries beyond the standard ones ({@code row}, {@code model}, {@code version}). */
    public Map<String, Object> properties() {
        return Map.of();
    }

    /** Whether the refusal is worth a WARN line: the service's own trouble rather than the client's. */
    public boolean logged() {
        return false;
    }

    /**
     * Records the model and version an inference request was refused by (either may be
     * {@link Rejections#UNKNOWN}); the first call wins. {@link Rejections#count(ServiceException)}
     * tags the rejection with them.
     */
    public void refusedBy(String model, String version) {
        if (refusedModel == null) {
            refusedVersion = version;
            refusedModel = model;
        }
    }

    String refusedModel() {
        return refusedModel;
    }

    String refusedVersion() {
        return refusedVersion;
    }
}
