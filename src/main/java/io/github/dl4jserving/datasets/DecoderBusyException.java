package io.github.dl4jserving.datasets;

/** A large image waited too long for a core to decode it on: the service is busy, retry shortly. */
public class DecoderBusyException extends RuntimeException {
    public DecoderBusyException(String message) {
        super(message);
    }
}
