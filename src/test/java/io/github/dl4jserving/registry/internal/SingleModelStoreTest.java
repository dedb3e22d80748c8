package io.github.dl4jserving.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jserving.TestData;
import io.github.dl4jserving.registry.LoadedModel;
import io.github.dl4jserving.registry.ModelConflictException;
import io.github.dl4jserving.registry.ModelRegistry;
import io.github.dl4jserving.registry.PromotionRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KServe's layout: the storage initializer copies a model's folder ({@code <version>/model.zip},
 * {@code default-version}) to a read-only {@code /mnt/models}, served with
 * {@code registry.model-name} and {@code registry.read-only}.
 */
class SingleModelStoreTest {
    static final String NAME = "breast-cancer-logreg";

    @TempDir
    Path mnt;

    private List<String> files() throws IOException {
        try (Stream<Path> walk = Files.walk(mnt)) {
            return walk.map(p -> mnt.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void servesTheVersionsOfOneModelFromADirectoryItNeverWrites() throws IOException {
        TestData.copyTree(TestData.MODELS_DIR.resolve(NAME).resolve("1"), mnt.resolve("1"));
        TestData.copyTree(TestData.MODELS_DIR.resolve(NAME).resolve("1"), mnt.resolve("2"));
        Files.writeString(
                mnt.resolve("2").resolve(ModelStore.DESCRIPTOR_FILE),
                Files.readString(mnt.resolve("2").resolve(ModelStore.DESCRIPTOR_FILE))
                        .replaceFirst("\"version\" : \\d+", "\"version\" : 2"));
        Files.writeString(mnt.resolve(ModelStore.DEFAULT_FILE), "1\n");
        Files.createDirectories(mnt.resolve(".tmp-old-writer"));
        List<String> before = files();
        Files.setPosixFilePermissions(mnt, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            FileModelStore store = new FileModelStore(mnt, NAME, true);
            assertThat(ModelStores.seed(store, TestData.MODELS_DIR)).isTrue();
            ModelRegistry registry = ModelRegistry.open(store);

            assertThat(registry.names()).containsExactly(NAME);
            assertThat(registry.versions(NAME)).extracting(LoadedModel::version).containsExactly(1, 2);
            assertThat(registry.defaultVersion(NAME).version())
                    .as("the pin in the folder")
                    .isEqualTo(1);
            assertThat(registry.readOnly()).isTrue();

            LoadedModel one = registry.defaultVersion(NAME);
            PromotionRule always = (candidate, current) -> new PromotionRule.Decision(true, "always");
            assertThatThrownBy(() -> registry.publish(one.descriptor(), one.network(), one.normalizer(), always))
                    .isInstanceOf(ModelConflictException.class)
                    .hasMessageContaining("read-only");
            assertThatThrownBy(() -> registry.setDefault(NAME, 2)).isInstanceOf(ModelConflictException.class);
            assertThatThrownBy(() -> registry.delete(NAME, 2)).isInstanceOf(ModelConflictException.class);
            assertThat(registry.defaultVersion(NAME).version()).isEqualTo(1);
        } finally {
            Files.setPosixFilePermissions(mnt, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertThat(files()).as("nothing written, not even a clean-up").isEqualTo(before);
    }

    @Test
    void aWritableSingleModelStoreAddsVersionsBesideTheOthers() throws IOException {
        TestData.copyTree(TestData.MODELS_DIR.resolve(NAME).resolve("1"), mnt.resolve("1"));
        ModelRegistry registry = ModelRegistry.open(new FileModelStore(mnt, NAME, false));
        LoadedModel one = registry.defaultVersion(NAME);
        registry.publish(
                one.descriptor(),
                one.network(),
                one.normalizer(),
                (candidate, current) -> new PromotionRule.Decision(true, "always"));
        assertThat(mnt.resolve("2").resolve(ModelStore.MODEL_FILE)).isRegularFile();
        assertThat(Files.readString(mnt.resolve(ModelStore.DEFAULT_FILE)).trim())
                .isEqualTo("2");
        assertThatThrownBy(() -> new FileModelStore(mnt, "Not A Name", false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
