package io.github.dl4jserving.platform;

import java.util.Locale;

/**
 * Why an inference request was refused: the {@code reason} tag of {@code dl4j.inference.rejected}.
 * The tag is the constant's name in lower case.
 */
public enum Rejection {
    /** The input does not fit the model, or is not a readable input at all. */
    BAD_INPUT(true),
    /** The body or its images are larger than the service decodes. */
    TOO_LARGE(true),
    /** The model or version asked for does not exist. */
    NOT_FOUND(false),
    /** The model's batch queue is full. */
    QUEUE_FULL(false),
    /** Every in-flight slot (or the large-image decoder) is busy. */
    OVERLOADED(true),
    /** The body arrived too slowly. */
    TOO_SLOW(true);

    private final boolean beforeModel;

    Rejection(boolean beforeModel) {
        this.beforeModel = beforeModel;
    }

    /** The metric's tag value. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether a refusal of this kind is an inference rejection even when no model was chosen yet.
     * A missing model or a full queue is one only on the inference path: a {@code GET /models/x}
     * that finds nothing is not a refused inference request.
     */
    boolean countsBeforeModel() {
        return beforeModel;
    }
}
