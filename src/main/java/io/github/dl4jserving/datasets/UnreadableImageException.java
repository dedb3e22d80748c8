package io.github.dl4jserving.datasets;

/** The bytes are not an image in a supported format, or are a damaged one. */
public class UnreadableImageException extends RuntimeException {
    public UnreadableImageException(String message) {
        super(message);
    }
}
