package io.github.dl4jserving.registry;

/**
 * The model store (an S3-compatible bucket) could not be reached, or refused a read or write.
 * Nothing was changed by the attempt; the loaded versions keep serving. Answered with 503.
 */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
