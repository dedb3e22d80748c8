package io.github.dl4jserving.datasets;

import io.github.dl4jserving.platform.Rejection;
import io.github.dl4jserving.platform.ServiceException;
import org.springframework.http.HttpStatus;

/** A large image waited too long for a core to decode it on: the service is busy, retry shortly. */
public class DecoderBusyException extends ServiceException {
    public DecoderBusyException(String message) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "Busy", message, null, Rejection.OVERLOADED, 1, null);
    }
}
