package io.github.dl4jserving.datasets;

/** A data file is missing and could not be fetched, or its content is not what was published. */
public class DatasetUnavailableException extends RuntimeException {
    public DatasetUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public DatasetUnavailableException(String message) {
        super(message);
    }
}
