package io.github.dl4jserving.training;

/** No job has that id. */
public class JobNotFoundException extends RuntimeException {
    public JobNotFoundException(String message) {
        super(message);
    }
}
