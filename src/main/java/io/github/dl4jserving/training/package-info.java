/**
 * Trainers, one per model type, each a network definition and a fit loop over a built-in or
 * uploaded data set that returns a trained network with its descriptor; the job runner that runs
 * them asynchronously (bounded queue, progress, cancellation, events, promotion into the
 * registry) with its on-disk job store; and {@link io.github.dl4jserving.training.TrainCommand},
 * which runs one trainer from the command line.
 */
package io.github.dl4jserving.training;
