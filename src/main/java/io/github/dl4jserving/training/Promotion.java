package io.github.dl4jserving.training;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What a finished job does with the default version of its model. */
public enum Promotion {
    /** The new version becomes the default. */
    ALWAYS("always"),
    /** The default stays where it is. */
    NEVER("never"),
    /** The new version becomes the default only if its held-out metric beats the current default's. */
    IF_BETTER("if-better");

    private final String wireName;

    Promotion(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public static Promotion parse(String value) {
        if (value == null) {
            return IF_BETTER;
        }
        return Arrays.stream(values())
                .filter(p -> p.wireName.equals(value))
                .findFirst()
                .orElseThrow(() -> new InvalidHyperparameterException(
                        "promote",
                        "promote must be always, never or" + " if-better, not '"
                                + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'."));
    }
}
