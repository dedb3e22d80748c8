package io.github.dl4jserving.datasets;

/** The image decoded, but there is nothing in it that looks like ink. */
public class NoDigitFoundException extends IllegalArgumentException {
    public NoDigitFoundException(String detail) {
        super(detail);
    }
}
