/**
 * The registry's own parts: the store's file layout and atomic writes, ModelSerializer archives,
 * the descriptor's JSON, seeding from the shipped models, and the Spring wiring, metrics, health and
 * info contributions. Only the registry module uses them; the architecture test holds that.
 */
package io.github.dl4jserving.registry.internal;
