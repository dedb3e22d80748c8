package io.github.dl4jserving.registry;

import io.github.dl4jserving.platform.ServiceException;
import org.springframework.http.HttpStatus;

/** An uploaded model or descriptor that cannot be served: unreadable, or not matching its schema. */
public class InvalidModelException extends ServiceException {
    public InvalidModelException(String message) {
        this("model", message);
    }

    /** {@code field} is the descriptor field at fault, as a client writes it: {@code input.features[2].min}. */
    public InvalidModelException(String field, String message) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid model", message, field, null, null, null);
    }
}
