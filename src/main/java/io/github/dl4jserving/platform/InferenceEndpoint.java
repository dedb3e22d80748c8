package io.github.dl4jserving.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A handler that only computes an answer from what the request carries (inference, image
 * preparation, generation): it changes nothing, is open without the API key unless
 * {@code protect-reads} is set, and takes a slot of {@code dl4j-serving.max-inflight-inference}.
 *
 * @see RoutePolicy
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface InferenceEndpoint {}
