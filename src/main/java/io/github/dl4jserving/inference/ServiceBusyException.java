package io.github.dl4jserving.inference;

import io.github.dl4jserving.platform.Rejection;
import io.github.dl4jserving.platform.ServiceException;
import org.springframework.http.HttpStatus;

/** The model version's queue is full, or the request waited longer than it may. */
public class ServiceBusyException extends ServiceException {
    public ServiceBusyException(String message) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "Busy", message, null, Rejection.QUEUE_FULL, 1, null);
    }
}
