package io.github.dl4jserving.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A health probe: open without the API key even under {@code protect-reads}, since Docker and
 * Kubernetes send none.
 *
 * @see RoutePolicy
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface ProbeEndpoint {}
