package io.github.dl4jserving.registry;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a model does, which decides how requests to it are decoded. */
public enum ModelKind {
    IMAGE_CLASSIFIER("image-classifier"),
    IMAGE_GENERATOR("image-generator"),
    TABULAR_CLASSIFIER("tabular-classifier"),
    TABULAR_REGRESSOR("tabular-regressor");

    private final String wireName;

    ModelKind(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
