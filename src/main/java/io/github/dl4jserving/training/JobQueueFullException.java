package io.github.dl4jserving.training;

import io.github.dl4jserving.platform.ServiceException;
import org.springframework.http.HttpStatus;

/** Every training slot is busy and the wait queue is full. */
public class JobQueueFullException extends ServiceException {
    public JobQueueFullException(String message) {
        super(HttpStatus.TOO_MANY_REQUESTS, "Training queue full", message, null, null, 30, null);
    }
}
