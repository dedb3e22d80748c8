package io.github.dl4jserving.registry;

import io.github.dl4jserving.platform.ServiceException;
import org.springframework.http.HttpStatus;

/** The change would leave a model without a default or without any version. */
public class ModelConflictException extends ServiceException {
    public ModelConflictException(String message) {
        super(HttpStatus.CONFLICT, "Conflict", message);
    }
}
