package io.github.dl4jserving.inference;

/** Every replica of the model stayed busy for longer than a request may wait. */
public class ServiceBusyException extends RuntimeException {
    public ServiceBusyException(String message) {
        super(message);
    }
}
