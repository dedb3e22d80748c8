/**
 * Runs requests through loaded networks: decodes images and JSON bodies, validates table rows
 * against the model's input schema, and coalesces concurrent requests into batches on per-version
 * network replicas (a DL4J network must not run two {@code output()} calls at once). Its API,
 * {@link io.github.dl4jserving.inference.InferenceService}, takes and returns plain Java types,
 * never INDArrays; it warms up and releases versions as the registry's events arrive, on a thread
 * of its own.
 */
package io.github.dl4jserving.inference;
