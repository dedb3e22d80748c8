package io.github.dl4jserving.registry;

/**
 * What the registry tells the rest of the service, as Spring application events published after the
 * registry's lock is released: listeners may call the registry back, and slow work (a warm-up, a
 * release of native memory) belongs on the listener's own executor, never on the publisher's thread.
 */
public sealed interface RegistryEvent {

    /** The model the event is about. */
    String name();

    /**
     * A version was loaded into memory, from disk at start-up or a rescan, or just written; or, with
     * {@code onDemand}, by the first request that needed it (a cold start).
     */
    record ModelVersionLoaded(String name, int version, double loadSeconds, boolean onDemand) implements RegistryEvent {
        public ModelVersionLoaded(String name, int version, double loadSeconds) {
            this(name, version, loadSeconds, false);
        }
    }

    /**
     * A version was unloaded to make room for another under the memory budget; it stays listed and
     * loads again on its next request. Its network is released after its in-flight requests, with a
     * {@link ModelVersionUnloaded}.
     */
    record ModelVersionEvicted(VersionId id, long bytes) implements RegistryEvent {
        @Override
        public String name() {
            return id.name();
        }
    }

    /**
     * A version's network is out of service and no request uses it any more (it was unloaded,
     * evicted or deleted). The listener that ran it takes it with {@link ModelRegistry#takeRetired}
     * and releases it.
     */
    record ModelVersionUnloaded(VersionId id) implements RegistryEvent {
        @Override
        public String name() {
            return id.name();
        }
    }

    /** A version on disk could not be loaded. */
    record ModelVersionFailed(String name, int version, String reason) implements RegistryEvent {}

    /** {@code version} now serves the requests that name no version of {@code name}. */
    record DefaultVersionChanged(String name, int version) implements RegistryEvent {}

    /**
     * A version was removed from service and from disk. Its network follows with a
     * {@link ModelVersionUnloaded} once its in-flight requests end.
     */
    record ModelVersionRetired(VersionId id) implements RegistryEvent {
        @Override
        public String name() {
            return id.name();
        }
    }
}
