package io.github.dl4jserving.registry;

import java.util.regex.Pattern;

/**
 * A model's name, valid by construction: 1 to 64 lower-case letters, digits or '-', starting with a
 * letter or digit. Names are directory names in the store and path segments in URLs, so nothing else
 * may pass.
 */
public record ModelName(String value) {
    /** What a valid name looks like, for error messages. */
    public static final String RULE =
            "Model names are 1 to 64 lower-case letters, digits or '-', starting with " + "a letter or digit.";

    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    public ModelName {
        if (!isValid(value)) {
            throw new IllegalArgumentException(RULE);
        }
    }

    /** Whether {@code name} is a valid model name. */
    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
