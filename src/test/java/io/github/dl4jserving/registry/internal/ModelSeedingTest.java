package io.github.dl4jserving.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.TestData;
import io.github.dl4jserving.registry.LoadedModel;
import io.github.dl4jserving.registry.ModelFiles;
import io.github.dl4jserving.registry.ModelRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped models seed the writable store: once each, never over the user's own versions. */
class ModelSeedingTest {
    static final String NAME = "breast-cancer-logreg";

    @TempDir
    Path seeds;

    @TempDir
    Path root;

    private void seedVersion(int version) throws IOException {
        TestData.copyTree(
                TestData.MODELS_DIR.resolve(NAME).resolve("1"),
                seeds.resolve(NAME).resolve(Integer.toString(version)));
    }

    private static byte[] zip(Path versionDir) throws IOException {
        return Files.readAllBytes(versionDir.resolve(ModelStore.MODEL_FILE));
    }

    @Test
    void aNewStoreTakesEveryShippedVersionAndTheSeedsAreOnlyRead() throws IOException {
        ModelStore store = new FileModelStore(root);
        assertThat(store.seedFrom(TestData.MODELS_DIR))
                .extracting(ModelStore.StoredVersion::name)
                .containsExactlyInAnyOrder(
                        "breast-cancer-logreg",
                        "mnist-dcgan",
                        "mnist-dcgan",
                        "mnist-dcgan",
                        "mnist-dcgan",
                        "mnist-mlp",
                        "mnist-softmax",
                        "salary-polyreg");
        assertThat(zip(root.resolve("mnist-mlp/1"))).isEqualTo(zip(TestData.MODELS_DIR.resolve("mnist-mlp/1")));
        assertThat(store.seedFrom(TestData.MODELS_DIR))
                .as("a second start copies nothing")
                .isEmpty();

        // A version written now goes to the store and takes the number after the shipped one.
        ModelRegistry registry = ModelRegistry.open(store);
        assertThat(registry.versions(NAME)).extracting(LoadedModel::version).containsExactly(1);
        assertThat(store.writeUploadedVersion(
                                DescriptorJson.read(
                                        root.resolve(NAME).resolve("1").resolve(ModelStore.DESCRIPTOR_FILE)),
                                root.resolve(NAME).resolve("1").resolve(ModelStore.MODEL_FILE),
                                (dir, d) -> {})
                        .descriptor()
                        .version())
                .isEqualTo(2);
        assertThat(TestData.MODELS_DIR.resolve(NAME).resolve("2")).doesNotExist();
    }

    @Test
    void aDeletedVersionStaysDeletedAndALaterShippedVersionArrives() throws IOException {
        seedVersion(1);
        ModelStore store = new FileModelStore(root);
        assertThat(store.seedFrom(seeds)).hasSize(1);
        store.deleteVersion(NAME, 1);
        assertThat(store.seedFrom(seeds)).as("the user deleted version 1").isEmpty();
        assertThat(root.resolve(NAME).resolve("1")).doesNotExist();

        seedVersion(2);
        Path state = Files.createDirectories(seeds.resolve(NAME)
                .resolve("2")
                .resolve(ModelFiles.TRAINING_STATE)
                .resolve("checkpoint-000000001"));
        Files.writeString(state.resolve("state.json"), "{}");
        assertThat(store.seedFrom(seeds))
                .extracting(ModelStore.StoredVersion::version)
                .containsExactly(2);
        assertThat(root.resolve(NAME).resolve("2").resolve(ModelStore.DESCRIPTOR_FILE))
                .exists();
        assertThat(root.resolve(NAME).resolve("2").resolve(ModelFiles.TRAINING_STATE))
                .as("a shipped version's training state stays with the shipped models")
                .doesNotExist();
        assertThat(root.resolve(NAME).resolve("1")).doesNotExist();
    }

    @Test
    void theUsersOwnVersionOfTheSameNumberIsNeverReplaced() throws IOException {
        ModelStore store = new FileModelStore(root);
        Path own = Files.createDirectories(root.resolve(NAME).resolve("1"));
        Files.writeString(own.resolve(ModelStore.MODEL_FILE), "the user's own");
        seedVersion(1);
        assertThat(store.seedFrom(seeds)).isEmpty();
        assertThat(Files.readString(own.resolve(ModelStore.MODEL_FILE))).isEqualTo("the user's own");
    }

    @Test
    void missingSeedsOrSeedsThatAreTheStoreItselfAreLeftAlone() throws IOException {
        ModelStore store = new FileModelStore(root);
        assertThat(store.seedFrom(root.resolve("absent"))).isEmpty();
        seedVersion(1);
        ModelStore same = new FileModelStore(seeds);
        assertThat(same.seedFrom(seeds)).isEmpty();
        try (var left = Files.list(seeds.resolve(NAME))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("1");
        }
    }
}
