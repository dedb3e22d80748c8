package io.github.dl4jserving.inference;

import java.util.Locale;

/** The wire a request came in on: the {@code protocol} tag of {@code dl4j.inference.requests}. */
public enum Protocol {
    /** REST over HTTP/1.1: /predict, the OIP REST routes, KServe V1. */
    HTTP,
    /** The Open Inference Protocol over gRPC. */
    GRPC;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
