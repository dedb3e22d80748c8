package io.github.dl4jserving.training;

import io.github.dl4jserving.platform.ServiceException;
import org.springframework.http.HttpStatus;

/** A training request whose hyperparameters, model or dataset cannot be used; names the field at fault. */
public class InvalidHyperparameterException extends ServiceException {
    public InvalidHyperparameterException(String field, String message) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid training request", message, field, null, null, null);
    }
}
