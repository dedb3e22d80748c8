package io.github.dl4jserving.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jserving.S3Server;
import io.github.dl4jserving.TestData;
import io.github.dl4jserving.registry.LoadedModel;
import io.github.dl4jserving.registry.ModelConflictException;
import io.github.dl4jserving.registry.ModelRegistry;
import io.github.dl4jserving.registry.PromotionRule;
import io.github.dl4jserving.registry.RegistrySettings;
import io.github.dl4jserving.registry.StoreUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The model store on a real S3-compatible server (s3proxy on loopback): publishing, two replicas
 * seeing each other's versions, promotions and deletions, half-written versions, version numbers
 * under concurrent writers, and a store that is down at start-up.
 */
class S3ModelStoreTest {
    static final String NAME = "breast-cancer-logreg";
    static final String PROMOTE = "always";

    @TempDir
    static Path serverDir;

    static S3Server server;
    static S3Client s3;

    @TempDir
    Path work;

    String bucket;
    Path seeds;

    @BeforeAll
    static void startServer() throws Exception {
        server = new S3Server(serverDir.resolve("data")).start();
        s3 = server.client();
    }

    @AfterAll
    static void stopServer() throws Exception {
        s3.close();
        server.close();
    }

    @BeforeEach
    void freshBucket() throws IOException {
        bucket = "models-" + Long.toHexString(System.nanoTime());
        server.createBucket(bucket);
        seeds = work.resolve("seeds");
        TestData.copyTree(TestData.MODELS_DIR.resolve(NAME), seeds.resolve(NAME));
    }

    /** A replica's store: the shared bucket under {@code prefix}, its own cache. */
    S3ModelStore replica(String cacheName) {
        return replica(cacheName, server.endpoint(), false);
    }

    S3ModelStore replica(String cacheName, String endpoint, boolean readOnly) {
        RegistrySettings.S3 settings = new RegistrySettings.S3(endpoint, bucket, "repo", "us-east-1", true);
        return new S3ModelStore(S3Clients.of(settings), bucket, "repo", work.resolve(cacheName), null, readOnly);
    }

    private List<String> keys() {
        List<String> keys = new ArrayList<>();
        s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream()
                .filter(o -> !o.key().endsWith("/")) // the directories of s3proxy's filesystem backend
                .forEach(o -> keys.add(o.key()));
        Collections.sort(keys);
        return keys;
    }

    private static PromotionRule always() {
        return (candidate, current) -> new PromotionRule.Decision(true, PROMOTE);
    }

    private static PromotionRule never() {
        return (candidate, current) -> new PromotionRule.Decision(false, "kept");
    }

    @Test
    void seedsAndPublishesInTheFileStoresLayoutWithTheMarkerLast() throws IOException {
        S3ModelStore store = replica("a");
        assertThat(ModelStores.seed(store, seeds)).isTrue();
        assertThat(keys())
                .hasSize(4)
                .contains(
                        "repo/" + NAME + "/1/.claim", "repo/" + NAME + "/1/model.json", "repo/" + NAME + "/1/model.zip")
                .anyMatch(k -> k.startsWith("repo/" + NAME + "/1/.claim-"));
        assertThat(store.seedFrom(seeds)).as("a second start copies nothing").isEmpty();

        ModelRegistry registry = ModelRegistry.open(store);
        LoadedModel one = registry.defaultVersion(NAME);
        assertThat(one.version()).isEqualTo(1);
        assertThat(one.directory()).startsWith(work.resolve("a"));

        ModelRegistry.Published two = registry.publish(one.descriptor(), one.network(), one.normalizer(), always());
        assertThat(two.model().version()).isEqualTo(2);
        assertThat(keys()).contains("repo/" + NAME + "/2/model.zip", "repo/" + NAME + "/default-version");
        assertThat(new String(s3.getObjectAsBytes(r -> r.bucket(bucket).key("repo/" + NAME + "/default-version"))
                                .asByteArray())
                        .trim())
                .isEqualTo("2");
        assertThat(Files.readAllBytes(two.model().directory().resolve(ModelStore.MODEL_FILE)))
                .as("what was uploaded is what the cache holds")
                .isEqualTo(s3.getObjectAsBytes(r -> r.bucket(bucket).key("repo/" + NAME + "/2/model.zip"))
                        .asByteArray());
    }

    @Test
    void twoReplicasSeeEachOthersVersionsPromotionsAndDeletions() throws IOException {
        S3ModelStore storeA = replica("a");
        ModelStores.seed(storeA, seeds);
        ModelRegistry a = ModelRegistry.open(storeA);
        ModelRegistry b = ModelRegistry.open(replica("b"));
        assertThat(b.defaultVersion(NAME).version()).isEqualTo(1);

        LoadedModel one = a.defaultVersion(NAME);
        a.publish(one.descriptor(), one.network(), one.normalizer(), never());
        assertThat(b.refresh()).as("b loads the version a wrote").isEqualTo(1);
        assertThat(b.versions(NAME)).extracting(LoadedModel::version).containsExactly(1, 2);
        assertThat(b.defaultVersion(NAME).version())
                .as("a kept version 1 as the default by pinning it")
                .isEqualTo(1);

        a.setDefault(NAME, 2);
        b.refresh();
        assertThat(b.defaultVersion(NAME).version()).isEqualTo(2);

        b.setDefault(NAME, 1);
        b.delete(NAME, 2);
        a.refresh();
        assertThat(a.defaultVersion(NAME).version()).isEqualTo(1);
        assertThat(a.versions(NAME)).extracting(LoadedModel::version).containsExactly(1);
        assertThat(keys()).as("the claim stays, so 2 is never given out again").contains("repo/" + NAME + "/2/.claim");
        assertThat(a.publish(one.descriptor(), one.network(), one.normalizer(), never())
                        .model()
                        .version())
                .isEqualTo(3);
    }

    @Test
    void aHalfWrittenVersionIsIgnoredAndItsNumberSkipped() throws IOException {
        S3ModelStore store = replica("a");
        ModelStores.seed(store, seeds);
        byte[] zip = Files.readAllBytes(seeds.resolve(NAME).resolve("1").resolve(ModelStore.MODEL_FILE));
        // A writer that died after its zip, and one that claimed a number and wrote nothing.
        s3.putObject(r -> r.bucket(bucket).key("repo/" + NAME + "/2/.claim"), RequestBody.fromString("x"));
        s3.putObject(r -> r.bucket(bucket).key("repo/" + NAME + "/2/model.zip"), RequestBody.fromBytes(zip));
        s3.putObject(r -> r.bucket(bucket).key("repo/" + NAME + "/3/.claim"), RequestBody.fromString("y"));

        ModelRegistry registry = ModelRegistry.open(store);
        assertThat(registry.versions(NAME)).extracting(LoadedModel::version).containsExactly(1);
        assertThat(registry.failures()).isEmpty();

        LoadedModel one = registry.defaultVersion(NAME);
        assertThat(registry.publish(one.descriptor(), one.network(), one.normalizer(), always())
                        .model()
                        .version())
                .isEqualTo(4);
    }

    @Test
    void concurrentWritersNeverShareAVersionNumber() throws Exception {
        S3ModelStore a = replica("a");
        S3ModelStore b = replica("b");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> claims = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                S3ModelStore writer = i % 2 == 0 ? a : b;
                claims.add(pool.submit(() -> {
                    for (int n = 1; ; n++) {
                        if (writer.claim(NAME, n)) {
                            return n;
                        }
                    }
                }));
            }
            List<Integer> numbers = new ArrayList<>();
            for (Future<Integer> f : claims) {
                numbers.add(f.get());
            }
            assertThat(numbers).doesNotHaveDuplicates().hasSize(24);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aStoreThatIsDownAtStartUpIsReportedAndPickedUpWhenItComesBack() throws Exception {
        int port = S3Server.freePort();
        S3Server late = new S3Server(work.resolve("late-data"), port);
        S3ModelStore store = replica("a", late.endpoint(), false);

        assertThat(ModelStores.seed(store, seeds)).as("not seeded yet").isFalse();
        ModelRegistry registry = ModelRegistry.open(store);
        assertThat(registry.names()).isEmpty();
        assertThat(registry.storeProblem())
                .hasValueSatisfying(p -> assertThat(p.reason())
                        .contains("s3://" + bucket + "/repo/")
                        .contains("could not list the models"));
        assertThatThrownBy(() -> store.pinDefault(NAME, 1)).isInstanceOf(StoreUnavailableException.class);

        late.start();
        try {
            late.createBucket(bucket);
            assertThat(ModelStores.seed(store, seeds)).isTrue();
            assertThat(registry.refresh()).isEqualTo(1);
            assertThat(registry.storeProblem()).isEmpty();
            assertThat(registry.defaultVersion(NAME).version()).isEqualTo(1);

            late.stop();
            registry.refresh();
            assertThat(registry.storeProblem()).isPresent();
            assertThat(registry.defaultVersion(NAME).version())
                    .as("what is loaded keeps serving while the store is away")
                    .isEqualTo(1);
            LoadedModel one = registry.defaultVersion(NAME);
            assertThatThrownBy(() -> registry.publish(one.descriptor(), one.network(), one.normalizer(), always()))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThat(registry.versions(NAME)).extracting(LoadedModel::version).containsExactly(1);

            late.start();
            registry.refresh();
            assertThat(registry.storeProblem()).isEmpty();
            assertThat(registry.versions(NAME)).extracting(LoadedModel::version).containsExactly(1);
        } finally {
            late.stop();
        }
    }

    @Test
    void aReadOnlyStoreServesButNeverWrites() throws IOException {
        ModelStores.seed(replica("a"), seeds);
        S3ModelStore store = replica("b", server.endpoint(), true);
        List<String> before = keys();
        assertThat(ModelStores.seed(store, work.resolve("absent"))).isTrue();
        ModelRegistry registry = ModelRegistry.open(store);
        LoadedModel one = registry.defaultVersion(NAME);
        assertThatThrownBy(() -> registry.publish(one.descriptor(), one.network(), one.normalizer(), always()))
                .isInstanceOf(ModelConflictException.class)
                .hasMessageContaining("read-only");
        assertThatThrownBy(() -> registry.setDefault(NAME, 1)).isInstanceOf(ModelConflictException.class);
        assertThat(keys()).isEqualTo(before);
    }
}
