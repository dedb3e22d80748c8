package io.github.dl4jserving.training;

import io.github.dl4jserving.platform.ServiceException;
import org.springframework.http.HttpStatus;

/** The job is in a state that does not allow the request, e.g. cancelling a finished job. */
public class JobConflictException extends ServiceException {
    public JobConflictException(String message) {
        super(HttpStatus.CONFLICT, "Conflict", message);
    }
}
