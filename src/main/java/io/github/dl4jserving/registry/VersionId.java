package io.github.dl4jserving.registry;

/** One version of one model: what the registry's maps, failures and messages are keyed by. */
public record VersionId(String name, int version) {
    @Override
    public String toString() {
        return name + "@" + version;
    }
}
