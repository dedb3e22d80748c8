package io.github.dl4jserving.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A handler that takes a raw (not multipart) body up to {@code dl4j-serving.max-dataset-size}
 * instead of {@code max-body-size}: the data set uploads. Combines with one of the access markers.
 *
 * @see RoutePolicy
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface LargeBody {}
