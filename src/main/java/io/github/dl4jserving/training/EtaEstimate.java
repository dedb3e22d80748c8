package io.github.dl4jserving.training;

/**
 * How long a job has left, from the rate of its progress since its first iteration, not its start
 * (loading the data took a part of a 10 s job that no iteration repeats), and only once 2% of the
 * work is behind it. Not thread-safe: the job's lock guards it.
 */
final class EtaEstimate {
    private long firstNanos;
    private double firstFraction;

    /** The seconds left at {@code now} with {@code fraction} of the work done, or null while unknown. */
    Double update(long now, double fraction) {
        if (firstNanos == 0) {
            firstNanos = now;
            firstFraction = fraction;
        }
        double done = fraction - firstFraction;
        return done >= 0.02 ? (now - firstNanos) / 1e9 * (1 - fraction) / done : null;
    }
}
