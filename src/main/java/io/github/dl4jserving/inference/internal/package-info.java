/**
 * The inference engine: one batch queue per serving version with its replicas, the lifecycle
 * thread that turns registry events into warm-ups and releases, what a descriptor promises about
 * its network's shape, table-row parsing, and the per-version metrics. Only the inference module
 * uses them.
 */
package io.github.dl4jserving.inference.internal;
