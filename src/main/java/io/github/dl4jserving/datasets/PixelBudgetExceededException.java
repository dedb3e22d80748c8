package io.github.dl4jserving.datasets;

import io.github.dl4jserving.platform.Rejection;
import org.springframework.http.HttpStatus;

/** A request's images declare more pixels than its {@link PixelBudget}, or cost more CPU to decode: answered 413. */
public class PixelBudgetExceededException extends UnreadableImageException {
    public PixelBudgetExceededException(String message) {
        super(HttpStatus.CONTENT_TOO_LARGE, "Too many pixels to decode", message, Rejection.TOO_LARGE);
    }
}
