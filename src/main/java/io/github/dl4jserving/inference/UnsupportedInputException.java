package io.github.dl4jserving.inference;

import io.github.dl4jserving.platform.Rejection;
import io.github.dl4jserving.platform.ServiceException;
import org.springframework.http.HttpStatus;

/** The request's kind of payload cannot go to the model it was sent to. */
public class UnsupportedInputException extends ServiceException {
    public UnsupportedInputException(String message) {
        super(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "Unsupported media type",
                message,
                null,
                Rejection.BAD_INPUT,
                null,
                null);
    }
}
