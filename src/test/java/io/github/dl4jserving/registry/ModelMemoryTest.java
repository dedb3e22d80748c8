package io.github.dl4jserving.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jserving.ShippedModels;
import io.github.dl4jserving.registry.internal.FileModelStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The registry under a memory budget, without the rest of the service: leases keep a network out of
 * release through evictions, unloads and deletions, and the last lease hands it over.
 */
class ModelMemoryTest {
    @TempDir
    Path root;

    private final List<RegistryEvent> events = Collections.synchronizedList(new ArrayList<>());
    private long unit;

    @BeforeEach
    void storeOfThreeCopies() throws IOException {
        FileModelStore store = new FileModelStore(root);
        LoadedModel logreg = ShippedModels.registry().get("breast-cancer-logreg", null);
        for (String name : List.of("a", "b", "c")) {
            store.writeNewVersion(logreg.descriptor().withName(name), logreg.network(), logreg.normalizer());
        }
        unit = ModelRegistry.parameterBytes(logreg);
    }

    /** A registry over the store whose budget holds {@code halves}/2 copies. */
    private ModelRegistry registry(Set<String> keep, int halves) {
        ModelRegistry registry = new ModelRegistry(
                new FileModelStore(root),
                event -> events.add((RegistryEvent) event),
                new MemoryBudget(unit * halves / 2, keep, Duration.ofSeconds(10), 1));
        registry.start();
        return registry;
    }

    @Test
    void aLeasedVersionIsEvictedAtOnceButReleasedOnlyAfterItsLastLease() {
        ModelRegistry registry = registry(Set.of(), 3);
        assertThat(registry.memory().loadedVersions()).isZero();

        ModelLease a = registry.lease("a", null);
        LoadedModel held = a.model();
        try (ModelLease b = registry.lease("b", null)) {
            assertThat(registry.isLoaded("a", 1)).as("evicted for b").isFalse();
            assertThat(registry.isLoaded("b", 1)).isTrue();
            assertThat(registry.takeRetired(held.id())).as("still leased").isEmpty();
            assertThat(held.network().params().wasClosed()).isFalse();
            assertThat(held.network().output(Nd4j.zeros(1, 9)).length()).isPositive();
        }
        assertThat(events)
                .noneMatch(e -> e instanceof RegistryEvent.ModelVersionUnloaded u && u.id().equals(held.id()));
        a.close();
        a.close(); // a second close is a no-op, not a second release

        assertThat(events)
                .filteredOn(e -> e instanceof RegistryEvent.ModelVersionUnloaded u && u.id().equals(held.id()))
                .hasSize(1);
        assertThat(registry.takeRetired(held.id())).containsExactly(held);
        assertThat(registry.memory().evictions()).isEqualTo(1);
        assertThat(registry.memory().coldStarts()).isEqualTo(2);
        assertThat(registry.memory().loadedBytes()).isEqualTo(unit);
    }

    @Test
    void keptModelsLoadAtStartAndHoldTheirShareSoOthersWaitOrAreRefused() throws IOException {
        ModelRegistry registry = registry(Set.of("a"), 5);
        assertThat(registry.isLoaded("a", 1)).isTrue();
        assertThat(registry.isLoaded("b", 1)).isFalse();

        registry.lease("b", null).close();
        registry.lease("c", null).close();
        assertThat(registry.isLoaded("a", 1)).as("kept").isTrue();
        assertThat(registry.isLoaded("b", 1)).isFalse();
        assertThat(registry.isLoaded("c", 1)).isTrue();

        assertThatThrownBy(() -> registry.unload("a", 1))
                .isInstanceOf(ModelConflictException.class)
                .hasMessageContaining("keep-loaded");
        registry.unload("c", null);
        assertThat(registry.isLoaded("c", 1)).isFalse();
        assertThat(registry.listing("c").get(0).bytes())
                .as("remembered after the unload")
                .isEqualTo(unit);
    }

    @Test
    void aBudgetHeldByKeptModelsRefusesOthersWith503AndOneTooSmallForAnyWith507() {
        ModelRegistry held = registry(Set.of("a"), 3);
        assertThatThrownBy(() -> held.lease("b", null))
                .isInstanceOfSatisfying(
                        ModelMemoryException.class,
                        e -> assertThat(e.status().value()).isEqualTo(503))
                .hasMessageContaining("keep-loaded");
        assertThat(held.isLoaded("b", 1)).isFalse();

        ModelRegistry tiny = registry(Set.of(), 1);
        assertThatThrownBy(() -> tiny.lease("b", null))
                .isInstanceOfSatisfying(
                        ModelMemoryException.class,
                        e -> assertThat(e.status().value()).isEqualTo(507))
                .hasMessageContaining("more than the whole budget");
        assertThat(tiny.memory().loadedBytes()).isZero();
    }

    @Test
    void aVersionDeletedWhileLeasedLeavesTheListingAtOnceAndMemoryAfterItsLease() throws IOException {
        ModelRegistry registry = registry(Set.of(), 3);
        FileModelStore store = new FileModelStore(root);
        LoadedModel c1 = registry.get("c", 1);
        store.writeNewVersion(c1.descriptor(), c1.network(), c1.normalizer());
        registry.refresh();

        ModelLease lease = registry.lease("c", 1);
        registry.delete("c", 1);
        assertThat(registry.listing("c"))
                .extracting(v -> v.descriptor().version())
                .containsExactly(2);
        assertThatThrownBy(() -> registry.lease("c", 1)).isInstanceOf(ModelNotFoundException.class);
        assertThat(registry.takeRetired(lease.model().id())).isEmpty();

        lease.close();
        assertThat(registry.takeRetired(lease.model().id())).hasSize(1);
    }
}
