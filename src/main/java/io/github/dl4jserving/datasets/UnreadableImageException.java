package io.github.dl4jserving.datasets;

import io.github.dl4jserving.platform.Rejection;
import io.github.dl4jserving.platform.ServiceException;
import org.springframework.http.HttpStatus;

/** The bytes are not an image in a supported format, or are a damaged one. */
public class UnreadableImageException extends ServiceException {
    public UnreadableImageException(String message) {
        this(HttpStatus.BAD_REQUEST, "Unreadable image", message, Rejection.BAD_INPUT);
    }

    UnreadableImageException(HttpStatus status, String title, String message, Rejection rejection) {
        super(status, title, message, "image", rejection, null, null);
    }
}
