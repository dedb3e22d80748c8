package io.github.dl4jserving.registry;

import java.time.Duration;
import java.util.Set;

/**
 * How much memory the loaded versions may hold ({@code dl4j-serving.registry.max-loaded-bytes}),
 * which models stay loaded whatever it costs ({@code keep-loaded}), how long a request waits for a
 * load of the version it needs ({@code load-timeout}) and how many versions load at once
 * ({@code max-concurrent-loads}).
 */
public record MemoryBudget(long maxBytes, Set<String> keepLoaded, Duration loadTimeout, int maxConcurrentLoads) {
    /** No limit: every version is loaded at start-up and stays, as before budgets existed. */
    public static final MemoryBudget UNLIMITED = new MemoryBudget(Long.MAX_VALUE, Set.of(), Duration.ofSeconds(60), 1);

    public MemoryBudget {
        keepLoaded = Set.copyOf(keepLoaded);
    }

    public boolean bounded() {
        return maxBytes != Long.MAX_VALUE;
    }

    /** Whether the versions of {@code name} are loaded at start-up and never unloaded to make room. */
    public boolean keepsLoaded(String name) {
        return !bounded() || keepLoaded.contains(name);
    }
}
