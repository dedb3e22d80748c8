package io.github.dl4jserving.inference;

import io.github.dl4jserving.platform.Rejection;
import io.github.dl4jserving.platform.ServiceException;
import org.springframework.http.HttpStatus;

/** A request value that is well-formed but not acceptable to the model; {@code field} names it. */
public class InvalidInputException extends ServiceException {
    public InvalidInputException(String field, String detail) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid input", detail, field, Rejection.BAD_INPUT, null, null);
    }
}
