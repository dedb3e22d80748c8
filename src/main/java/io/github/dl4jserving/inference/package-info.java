/**
 * Runs requests through loaded networks: decodes images (with the size checked before any pixel
 * is allocated), prepares them MNIST-style, validates table rows against the model's input schema,
 * and coalesces concurrent requests into batches on per-version network replicas (a DL4J network
 * must not run two {@code output()} calls at once). Its API takes and returns plain Java types,
 * never INDArrays.
 */
package io.github.dl4jserving.inference;
