/**
 * What every module leans on: the service's settings, the mapping of failures to RFC 9457
 * {@code application/problem+json} answers, and the request body limit.
 */
package io.github.dl4jserving.platform;
