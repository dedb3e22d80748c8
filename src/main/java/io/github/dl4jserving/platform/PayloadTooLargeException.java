package io.github.dl4jserving.platform;

/** The request body is larger than {@code dl4j-serving.max-body-size}. */
public class PayloadTooLargeException extends RuntimeException {
    public PayloadTooLargeException(long limit) {
        super("The request body is larger than the limit of " + limit + " bytes (dl4j-serving.max-body-size). "
                + "Send a smaller image or fewer rows per request.");
    }
}
