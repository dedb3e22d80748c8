/**
 * The trainers, one per model type, each a network definition and a fit loop over a built-in or
 * uploaded data set that returns the network, its descriptor and the facts of its fit; their
 * options, data and progress types; the on-disk job store and the training metrics. Only the
 * training module uses them.
 */
package io.github.dl4jserving.training.internal;
