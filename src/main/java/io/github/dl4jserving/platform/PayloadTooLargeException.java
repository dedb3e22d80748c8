package io.github.dl4jserving.platform;

import org.springframework.http.HttpStatus;

/** The request body is larger than {@code dl4j-serving.max-body-size}. */
public class PayloadTooLargeException extends ServiceException {
    public PayloadTooLargeException(long limit) {
        super(
                HttpStatus.CONTENT_TOO_LARGE,
                "Content too large",
                "The request body is larger than the limit of " + limit + " bytes (dl4j-serving.max-body-size). "
                        + "Send a smaller image or fewer rows per request.",
                null,
                Rejection.TOO_LARGE,
                null,
                null);
    }
}
