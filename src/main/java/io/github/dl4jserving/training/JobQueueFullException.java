package io.github.dl4jserving.training;

/** Every training slot is busy and the wait queue is full. */
public class JobQueueFullException extends RuntimeException {
    public JobQueueFullException(String message) {
        super(message);
    }
}
