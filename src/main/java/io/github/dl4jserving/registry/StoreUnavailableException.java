package io.github.dl4jserving.registry;

import io.github.dl4jserving.platform.ServiceException;
import org.springframework.http.HttpStatus;

/**
 * The model store (an S3-compatible bucket) could not be reached, or refused a read or write.
 * Nothing was changed by the attempt; the loaded versions keep serving. Answered with 503.
 */
public class StoreUnavailableException extends ServiceException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "Model store unavailable", message, null, null, 10, cause);
    }

    @Override
    public boolean logged() {
        return true;
    }
}
