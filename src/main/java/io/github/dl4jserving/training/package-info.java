/**
 * Trainers, one per model type: a network definition and a fit loop that reads a data set from
 * the data directory and returns a trained network with its descriptor. {@link
 * io.github.dl4jserving.training.TrainCommand} runs one from the command line and writes the
 * result as a new registry version; the jobs API wraps the same trainers.
 */
package io.github.dl4jserving.training;
