package io.github.dl4jserving.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.TestData;
import io.github.dl4jserving.registry.internal.FileModelStore;
import io.github.dl4jserving.registry.internal.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry announces its changes as events after its lock is released, and decides a promotion
 * against the default of that moment, under the lock: concurrent "if better" publishes end with the
 * best version serving.
 */
class RegistryEventsTest {
    static final String NAME = "breast-cancer-logreg";
    static final String METRIC = "test_accuracy";

    @TempDir
    Path root;

    @BeforeEach
    void copyShippedVersion() throws IOException {
        Path shipped = TestData.MODELS_DIR
                .resolve(NAME)
                .resolve(Integer.toString(new FileModelStore(TestData.MODELS_DIR)
                        .scan().stream()
                                .filter(v -> v.name().equals(NAME))
                                .mapToInt(ModelStore.StoredVersion::version)
                                .max()
                                .orElseThrow()));
        Path dir = Files.createDirectories(root.resolve(NAME).resolve("1"));
        Files.copy(shipped.resolve(ModelStore.MODEL_FILE), dir.resolve(ModelStore.MODEL_FILE));
        Files.writeString(
                dir.resolve(ModelStore.DESCRIPTOR_FILE),
                Files.readString(shipped.resolve(ModelStore.DESCRIPTOR_FILE))
                        .replaceFirst("\"version\" : \\d+", "\"version\" : 1")
                        .replaceFirst("\"test_accuracy\" : [0-9.]+", "\"test_accuracy\" : 0.5"));
    }

    private static PromotionRule ifBetter() {
        return (candidate, current) -> {
            double cand = candidate.metrics().get(METRIC);
            double now = current.metrics().get(METRIC);
            return new PromotionRule.Decision(cand > now, cand + " against " + now);
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ModelDescriptor withAccuracy(ModelDescriptor d, double accuracy) {
        Map<String, Double> metrics = new HashMap<>(d.metrics());
        metrics.put(METRIC, accuracy);
        return new ModelDescriptor(
                d.name(), 0, d.kind(), d.createdAt(), d.description(), d.input(), d.labels(), metrics, d.provenance());
    }

    @Test
    void concurrentIfBetterPublishesLeaveTheBestVersionServingAndPromoteOnlyImprovements() throws Exception {
        List<Integer> promotedInOrder = Collections.synchronizedList(new ArrayList<>());
        ModelRegistry registry = ModelRegistry.open(new FileModelStore(root), event -> {
            if (event instanceof RegistryEvent.DefaultVersionChanged changed) {
                promotedInOrder.add(changed.version());
            } else if (event instanceof RegistryEvent.ModelVersionLoaded loaded) {
                // A publish announces its version's loading before its promotion: a listener slow
                // there for some versions and quick for others lets a later promotion overtake an
                // earlier one on its way to the listeners, unless the registry keeps them in order.
                sleep(loaded.version() % 2 * 200L);
            }
        });
        LoadedModel one = registry.get(NAME, 1);
        List<Double> accuracies = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            accuracies.add(0.6 + 0.03 * ((i * 7) % 12)); // every value once, in a scrambled order
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<ModelRegistry.Published>> results = new ArrayList<>();
        for (double accuracy : accuracies) {
            results.add(pool.submit(() -> {
                start.await();
                return registry.publish(
                        withAccuracy(one.descriptor(), accuracy), one.network(), one.normalizer(), ifBetter());
            }));
        }
        start.countDown();
        Map<Integer, Double> accuracyOf = new HashMap<>();
        for (Future<ModelRegistry.Published> r : results) {
            LoadedModel m = r.get(2, TimeUnit.MINUTES).model();
            accuracyOf.put(m.version(), m.descriptor().metrics().get(METRIC));
        }
        pool.shutdown();

        double best = accuracies.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertThat(registry.defaultVersion(NAME).descriptor().metrics().get(METRIC))
                .isEqualTo(best);
        List<Double> promoted = promotedInOrder.stream().map(accuracyOf::get).toList();
        assertThat(promoted)
                .as("each promotion beats the one before it")
                .isSortedAccordingTo(Double::compare)
                .doesNotHaveDuplicates();
    }

    @Test
    void listenersRunAfterTheLockIsReleasedSoTheyMayChangeTheRegistryFromAnotherThread() throws Exception {
        List<Boolean> otherThreadGotThrough = new ArrayList<>();
        ModelRegistry[] holder = new ModelRegistry[1];
        ModelRegistry registry = ModelRegistry.open(new FileModelStore(root), event -> {
            if (event instanceof RegistryEvent.DefaultVersionChanged && holder[0] != null) {
                Thread other = new Thread(() -> holder[0].refresh());
                other.start();
                try {
                    other.join(TimeUnit.SECONDS.toMillis(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                otherThreadGotThrough.add(!other.isAlive());
            }
        });
        holder[0] = registry;

        registry.setDefault(NAME, 1);

        assertThat(otherThreadGotThrough)
                .as("a second thread could take the registry's lock during the event")
                .containsExactly(true);
    }

    @Test
    void announcesLoadsPinsAndRetirementsInTheOrderTheyHappen() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        ModelRegistry registry = ModelRegistry.open(
                new FileModelStore(root),
                event -> seen.add(event.getClass().getSimpleName() + " " + ((RegistryEvent) event).name()));
        LoadedModel one = registry.get(NAME, 1);

        ModelRegistry.Published two =
                registry.publish(withAccuracy(one.descriptor(), 0.9), one.network(), one.normalizer(), ifBetter());
        registry.setDefault(NAME, 1);
        registry.delete(NAME, two.model().version());

        assertThat(seen)
                .containsExactly(
                        "ModelVersionLoaded " + NAME,
                        "ModelVersionLoaded " + NAME,
                        "DefaultVersionChanged " + NAME,
                        "DefaultVersionChanged " + NAME,
                        "ModelVersionRetired " + NAME,
                        "ModelVersionUnloaded " + NAME);
    }
}
