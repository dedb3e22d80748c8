/**
 * What every module leans on: the service's settings, the request body limit, the API key check
 * for state-changing requests, ND4J's thread count, native memory metrics, and Tomcat's own error
 * pages as {@code application/problem+json}.
 */
package io.github.dl4jserving.platform;
