package io.github.dl4jserving.registry;

import io.github.dl4jserving.platform.Rejection;
import io.github.dl4jserving.platform.ServiceException;
import org.springframework.http.HttpStatus;

/**
 * A version could not be brought into memory under {@code dl4j-serving.registry.max-loaded-bytes}:
 * 507 when it is larger than the whole budget (no retry helps), 503 with {@code Retry-After} when the
 * budget is held by models that cannot be unloaded now or its load took longer than the load timeout.
 */
public class ModelMemoryException extends ServiceException {
    private ModelMemoryException(HttpStatus status, String title, String detail, Integer retryAfterSeconds) {
        super(status, title, detail, null, Rejection.OVERLOADED, retryAfterSeconds, null);
    }

    /** {@code id} needs {@code bytes}, more than the whole budget of {@code budget}. */
    static ModelMemoryException tooLarge(VersionId id, long bytes, long budget) {
        return new ModelMemoryException(
                HttpStatus.INSUFFICIENT_STORAGE,
                "Model too large for the memory budget",
                "Version " + id.version() + " of '" + id.name() + "' needs " + bytes + " bytes in memory, more than "
                        + "the whole budget of " + budget + " bytes (dl4j-serving.registry.max-loaded-bytes). It "
                        + "cannot be loaded on this server; raise the budget or serve it from another replica.",
                null);
    }

    /** The budget is taken by versions that may not be unloaded now (pinned, or loading). */
    static ModelMemoryException budgetHeld(VersionId id, long bytes, long free) {
        return new ModelMemoryException(
                HttpStatus.SERVICE_UNAVAILABLE,
                "Memory budget held",
                "Version " + id.version() + " of '" + id.name() + "' needs " + bytes + " bytes; only " + free
                        + " can be freed now, the rest is held by models that stay loaded "
                        + "(dl4j-serving.registry.keep-loaded) or are loading. Try again shortly.",
                5);
    }

    /** The wait for another request's load of {@code id} passed the load timeout. */
    static ModelMemoryException stillLoading(VersionId id, long waitedMillis) {
        return new ModelMemoryException(
                HttpStatus.SERVICE_UNAVAILABLE,
                "Model still loading",
                "Version " + id.version() + " of '" + id.name() + "' is still loading after " + waitedMillis
                        + " ms (dl4j-serving.registry.load-timeout). Try again shortly.",
                2);
    }

    @Override
    public boolean logged() {
        return getMessage().contains("needs");
    }
}
