package io.github.dl4jserving.datasets;

/** A request's images declare more pixels than its {@link PixelBudget}: answered 413. */
public class PixelBudgetExceededException extends UnreadableImageException {
    public PixelBudgetExceededException(String message) {
        super(message);
    }
}
