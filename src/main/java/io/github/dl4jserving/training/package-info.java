/**
 * Training as asynchronous jobs: {@link io.github.dl4jserving.training.TrainingJobs} admits, lists,
 * cancels and follows them; inside it a queue (admission, executor, shutdown), the one mutable job
 * state, a runner that builds each result's provenance and publishes it under the job's promotion
 * rule, and an event fan-out on its own thread. {@link io.github.dl4jserving.training.TrainCommand}
 * runs one trainer from the command line.
 */
package io.github.dl4jserving.training;
