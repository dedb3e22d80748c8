package io.github.dl4jserving.training;

import io.github.dl4jserving.platform.ServiceException;
import org.springframework.http.HttpStatus;

/** No job has that id. */
public class JobNotFoundException extends ServiceException {
    public JobNotFoundException(String message) {
        super(HttpStatus.NOT_FOUND, "Job not found", message);
    }
}
