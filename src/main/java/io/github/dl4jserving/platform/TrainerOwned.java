package io.github.dl4jserving.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A handler whose state lives on the trainer replica (jobs, uploaded data sets, trainers): where
 * {@code dl4j-serving.training.trainer-url} is set, its requests are forwarded there. Combines with
 * one of the access markers.
 *
 * @see RoutePolicy
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface TrainerOwned {}
