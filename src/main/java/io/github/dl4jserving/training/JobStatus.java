package io.github.dl4jserving.training;

/** A training job's state, as in H2O's {@code /3/Jobs}. */
public enum JobStatus {
    QUEUED,
    RUNNING,
    CANCELLING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
