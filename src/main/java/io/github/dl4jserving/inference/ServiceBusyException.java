package io.github.dl4jserving.inference;

/** The model version's queue is full, or the request waited longer than it may. */
public class ServiceBusyException extends RuntimeException {
    public ServiceBusyException(String message) {
        super(message);
    }
}
