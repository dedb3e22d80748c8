package io.github.dl4jserving.datasets;

import io.github.dl4jserving.platform.ServiceException;
import org.springframework.http.HttpStatus;

/** No uploaded data set has that id. */
public class DatasetNotFoundException extends ServiceException {
    public DatasetNotFoundException(String message) {
        super(HttpStatus.NOT_FOUND, "Data set not found", message);
    }
}
