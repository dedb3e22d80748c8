package io.github.dl4jserving.registry;

/**
 * What the registry tells the rest of the service, as Spring application events published after the
 * registry's lock is released: listeners may call the registry back, and slow work (a warm-up, a
 * release of native memory) belongs on the listener's own executor, never on the publisher's thread.
 */
public sealed interface RegistryEvent {

    /** The model the event is about. */
    String name();

    /** A version was loaded into memory, from disk at start-up or a rescan, or just written. */
    record ModelVersionLoaded(String name, int version, double loadSeconds) implements RegistryEvent {}

    /** A version on disk could not be loaded. */
    record ModelVersionFailed(String name, int version, String reason) implements RegistryEvent {}

    /** {@code version} now serves the requests that name no version of {@code name}. */
    record DefaultVersionChanged(String name, int version) implements RegistryEvent {}

    /**
     * A version was removed from service and from disk. The listener that ran it takes its network
     * with {@link ModelRegistry#takeRetired} and releases it once its in-flight work ends.
     */
    record ModelVersionRetired(VersionId id) implements RegistryEvent {
        @Override
        public String name() {
            return id.name();
        }
    }
}
