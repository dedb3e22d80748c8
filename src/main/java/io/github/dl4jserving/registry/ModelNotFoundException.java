package io.github.dl4jserving.registry;

import io.github.dl4jserving.platform.Rejection;
import io.github.dl4jserving.platform.ServiceException;
import org.springframework.http.HttpStatus;

/** No model in the registry has that name, or the model has no version of that number. */
public class ModelNotFoundException extends ServiceException {
    public ModelNotFoundException(String message) {
        super(HttpStatus.NOT_FOUND, "Model not found", message, null, Rejection.NOT_FOUND, null, null);
    }
}
