package io.github.dl4jserving.platform;

import org.springframework.util.unit.DataSize;

/**
 * How large a raw body a {@link LargeBody} route may take. The module that owns those routes
 * provides it from its own settings; without one, {@code max-body-size} applies to them too.
 */
public interface LargeBodyLimit {
    DataSize largeBodyLimit();
}
