package io.github.dl4jserving.datasets;

import io.github.dl4jserving.platform.Rejection;
import io.github.dl4jserving.platform.ServiceException;
import org.springframework.http.HttpStatus;

/** The image decoded, but there is nothing in it that looks like ink. */
public class NoDigitFoundException extends ServiceException {
    public NoDigitFoundException(String detail) {
        super(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "No digit in the image",
                detail,
                "image",
                Rejection.BAD_INPUT,
                null,
                null);
    }
}
