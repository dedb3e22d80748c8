package io.github.dl4jserving.training;

/** The job is in a state that does not allow the request, e.g. cancelling a finished job. */
public class JobConflictException extends RuntimeException {
    public JobConflictException(String message) {
        super(message);
    }
}
