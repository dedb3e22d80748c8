package io.github.dl4jserving.registry;

/**
 * A loaded version held for one request: while any lease is open, the registry may take the version
 * out of service (an unload, an eviction, a deletion) but does not release its network. Close it
 * when the request's forward passes are done.
 */
public final class ModelLease implements AutoCloseable {
    private final Resident resident;
    private boolean closed;

    ModelLease(Resident resident) {
        this.resident = resident;
    }

    public LoadedModel model() {
        return resident.model();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            resident.release();
        }
    }
}
