package io.github.dl4jserving.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jserving.TestData;
import io.github.dl4jserving.registry.internal.FileModelStore;
import io.github.dl4jserving.registry.internal.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store built from copies of the shipped breast-cancer model, some of them damaged on purpose. */
class ModelRegistryTest {
    static final String NAME = "breast-cancer-logreg";

    @TempDir
    Path root;

    private Path shipped;

    @BeforeEach
    void findShippedVersion() {
        ModelStore store = new FileModelStore(TestData.MODELS_DIR);
        shipped = TestData.MODELS_DIR
                .resolve(NAME)
                .resolve(Integer.toString(store.scan().stream()
                        .filter(v -> v.name().equals(NAME))
                        .mapToInt(ModelStore.StoredVersion::version)
                        .max()
                        .orElseThrow()));
    }

    private Path copyAs(int version) throws IOException {
        Path dir = root.resolve(NAME).resolve(Integer.toString(version));
        Files.createDirectories(dir);
        Files.copy(shipped.resolve(ModelStore.MODEL_FILE), dir.resolve(ModelStore.MODEL_FILE));
        String json = Files.readString(shipped.resolve(ModelStore.DESCRIPTOR_FILE))
                .replaceFirst("\"version\" : \\d+", "\"version\" : " + version);
        Files.writeString(dir.resolve(ModelStore.DESCRIPTOR_FILE), json);
        return dir;
    }

    @Test
    void loadsGoodVersionsAndReportsBrokenOnesWithoutFailing() throws IOException {
        copyAs(1);
        Path truncated = copyAs(2);
        byte[] zip = Files.readAllBytes(truncated.resolve(ModelStore.MODEL_FILE));
        Files.write(truncated.resolve(ModelStore.MODEL_FILE), Arrays.copyOf(zip, zip.length / 2));
        Path garbled = copyAs(3);
        Files.writeString(garbled.resolve(ModelStore.DESCRIPTOR_FILE), "{\"name\": \"breast-cancer-logreg\", ver");
        Path unknownField = copyAs(4);
        String json = Files.readString(unknownField.resolve(ModelStore.DESCRIPTOR_FILE));
        Files.writeString(
                unknownField.resolve(ModelStore.DESCRIPTOR_FILE), json.replaceFirst("\\{", "{ \"surprise\" : true,"));
        Path misplaced = copyAs(6);
        Files.writeString(
                misplaced.resolve(ModelStore.DESCRIPTOR_FILE),
                Files.readString(misplaced.resolve(ModelStore.DESCRIPTOR_FILE))
                        .replace("\"version\" : 6", "\"version\" : 1"));
        copyAs(5);
        Files.createDirectories(root.resolve(NAME).resolve(".tmp-crashed-upload"));

        ModelRegistry registry = ModelRegistry.open(new FileModelStore(root));

        assertThat(registry.versions(NAME)).extracting(LoadedModel::version).containsExactly(1, 5);
        assertThat(registry.defaultVersion(NAME).version()).isEqualTo(5);
        assertThat(registry.failures())
                .extracting(ModelRegistry.LoadFailure::version)
                .containsExactly(2, 3, 4, 6);
        assertThat(registry.failures().get(2).reason()).contains("surprise");
        assertThat(registry.failures().get(3).reason()).contains("lies in");
        assertThat(registry.failures())
                .as("reasons name files relative to the store, which they are served from")
                .allSatisfy(f -> assertThat(f.reason()).doesNotContain(root.toString()));
        assertThat(registry.get(NAME, 1).normalizer())
                .as("the standardizer is stored with the network")
                .isNotNull();
    }

    @Test
    void servesThePinnedDefaultWhenItIsLoadedAndTheHighestOtherwise() throws IOException {
        copyAs(1);
        copyAs(2);
        Files.writeString(root.resolve(NAME).resolve(ModelStore.DEFAULT_FILE), "1\n");
        assertThat(ModelRegistry.open(new FileModelStore(root))
                        .defaultVersion(NAME)
                        .version())
                .isEqualTo(1);

        Files.writeString(root.resolve(NAME).resolve(ModelStore.DEFAULT_FILE), "7\n");
        assertThat(ModelRegistry.open(new FileModelStore(root))
                        .defaultVersion(NAME)
                        .version())
                .isEqualTo(2);
    }

    @Test
    void resolvesTheDefaultInMemoryAndRereadsAPinMovedByAnotherProcessAtTheNextRescan() throws IOException {
        copyAs(1);
        copyAs(2);
        List<Integer> announced = new ArrayList<>();
        ModelRegistry registry = ModelRegistry.open(new FileModelStore(root), event -> {
            if (event instanceof RegistryEvent.DefaultVersionChanged changed) {
                announced.add(changed.version());
            }
        });
        registry.setDefault(NAME, 1);
        Path pin = root.resolve(NAME).resolve(ModelStore.DEFAULT_FILE);

        Files.delete(pin);
        assertThat(registry.defaultVersion(NAME).version())
                .as("requests do not read the pin from disk")
                .isEqualTo(1);

        Files.writeString(pin, "2\n"); // as the train command or another replica would
        assertThat(registry.defaultVersion(NAME).version()).isEqualTo(1);
        registry.refresh();
        assertThat(registry.defaultVersion(NAME).version()).isEqualTo(2);
        assertThat(announced)
                .as("listeners hear of both changes, so the new default is warmed")
                .containsExactly(1, 2);

        registry.refresh();
        assertThat(announced).as("an unchanged pin announces nothing").containsExactly(1, 2);
    }

    @Test
    void retiresAVersionAnotherProcessDeletedButNotEverythingWhenTheStoreLooksEmpty() throws IOException {
        copyAs(1);
        copyAs(2);
        ModelRegistry registry = ModelRegistry.open(new FileModelStore(root));
        FileModelStore other = new FileModelStore(root);
        other.pinDefault(NAME, 2);
        other.deleteVersion(NAME, 1);
        registry.refresh();
        assertThat(registry.versions(NAME)).extracting(LoadedModel::version).containsExactly(2);

        Path away = Files.move(root.resolve(NAME), root.resolveSibling(root.getFileName() + "-unmounted"));
        try {
            registry.refresh();
            assertThat(registry.versions(NAME))
                    .as("an empty listing is a missing mount, not a deletion")
                    .extracting(LoadedModel::version)
                    .containsExactly(2);
        } finally {
            Files.move(away, root.resolve(NAME));
        }
    }

    @Test
    void answersUnknownNamesAndVersionsWithModelNotFound() throws IOException {
        copyAs(1);
        ModelRegistry registry = ModelRegistry.open(new FileModelStore(root));

        assertThatThrownBy(() -> registry.get("../etc/passwd", null))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("no model named");
        assertThatThrownBy(() -> registry.get(NAME, 9))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("has no version 9");
    }

    @Test
    void writesNewVersionsPastEveryNumberOnDiskAndLeavesNoTemporaryFiles() throws IOException {
        copyAs(1);
        Path broken = copyAs(4);
        Files.delete(broken.resolve(ModelStore.MODEL_FILE));
        ModelStore store = new FileModelStore(root);
        LoadedModel one = ModelRegistry.open(store).get(NAME, 1);

        ModelDescriptor written = store.writeNewVersion(one.descriptor(), one.network(), one.normalizer())
                .descriptor();

        assertThat(written.version()).isEqualTo(5);
        assertThat(root.resolve(NAME).resolve("5").resolve(ModelStore.MODEL_FILE))
                .isRegularFile();
        try (var entries = Files.list(root.resolve(NAME))) {
            assertThat(entries.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("1", "4", "5", FileModelStore.LAST_VERSION_FILE);
        }
        ModelRegistry reloaded = ModelRegistry.open(store);
        assertThat(reloaded.get(NAME, 5).descriptor()).isEqualTo(written);
    }
}
