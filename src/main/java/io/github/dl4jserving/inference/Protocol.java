package io.github.dl4jserving.inference;

import java.util.Locale;

/** The wire a request came in on: the {@code protocol} tag of {@code dl4j.inference.requests}. */
public enum Protocol {
    /** REST over HTTP/1.1: /predict, the OIP REST routes, KServe V1. */
    HTTP,
    /** The Open Inference Protocol over gRPC. */
    GRPC;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** The tag value, made once: it is read on every request. */
    public String tag() {
        return tag;
    }
}
