package io.github.dl4jserving.datasets;

/** No uploaded data set has that id. */
public class DatasetNotFoundException extends RuntimeException {
    public DatasetNotFoundException(String message) {
        super(message);
    }
}
