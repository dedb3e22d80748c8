package io.github.dl4jserving.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jserving.TestData;
import io.github.dl4jserving.Tripwire;
import io.github.dl4jserving.registry.InvalidModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model archives that would make DL4J deserialize Java objects or load a named class are refused
 * before DL4J sees them, and what DL4J writes itself still loads.
 */
class ModelArchiveTest {
    @TempDir
    Path dir;

    private Map<String, byte[]> shipped;

    @BeforeEach
    void readShippedArchive() throws IOException {
        Tripwire.reset();
        shipped = TestData.unzip(TestData.MODELS_DIR.resolve("breast-cancer-logreg/1/model.zip"));
        assertThat(shipped).containsKeys("configuration.json", "coefficients.bin", "normalizer.bin");
    }

    private Path zip(Map<String, byte[]> entries) throws IOException {
        Path file = Files.createTempFile(dir, "model", ".zip");
        Files.write(file, TestData.zip(entries));
        return file;
    }

    @Test
    void everyShippedModelPassesAndLoads() throws IOException {
        try (var versions = Files.list(TestData.MODELS_DIR)) {
            for (Path model : versions.filter(Files::isDirectory).toList()) {
                try (var numbered = Files.list(model)) {
                    for (Path version : numbered.filter(
                                    p -> p.getFileName().toString().matches("\\d+"))
                            .toList()) {
                        ModelArchive.Contents contents = ModelArchive.read(version.resolve(ModelStore.MODEL_FILE));
                        assertThat(contents.network().numParams())
                                .as(version.toString())
                                .isPositive();
                        contents.network().close();
                    }
                }
            }
        }
    }

    @Test
    void refusesAJavaSerializedPreprocessorThatDl4jWouldDeserialize() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>(shipped);
        entries.put("preprocessor.bin", Tripwire.serialized());
        Path file = zip(entries);

        assertThatThrownBy(() -> ModelArchive.read(file))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("preprocessor.bin")
                .hasMessageContaining("Java-serialized");
        assertThat(Tripwire.tripped())
                .as("refused before anything was deserialized")
                .isFalse();

        // What the check prevents: DL4J's own restore runs readObject on the entry.
        try {
            ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false).close();
        } catch (RuntimeException | IOException expected) {
            // it fails after deserializing, when the object is not a preprocessor
        }
        assertThat(Tripwire.tripped())
                .as("ModelSerializer deserializes preprocessor.bin")
                .isTrue();
    }

    @Test
    void refusesACustomNormalizerThatNamesAClassToLoad() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>(shipped);
        entries.put("normalizer.bin", TestData.customNormalizerHeader("javax.script.ScriptEngineManager"));

        assertThatThrownBy(() -> ModelArchive.read(zip(entries)))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("'CUSTOM'");
    }

    @Test
    void refusesBytesBeforeTheZipAndEntriesDl4jDoesNotWrite() throws IOException {
        Path plain = zip(shipped);
        Path prefixed = dir.resolve("prefixed.zip");
        byte[] object = Tripwire.serialized();
        byte[] zip = Files.readAllBytes(plain);
        byte[] both = new byte[object.length + zip.length];
        System.arraycopy(object, 0, both, 0, object.length);
        System.arraycopy(zip, 0, both, object.length, zip.length);
        Files.write(prefixed, both);
        assertThatThrownBy(() -> ModelArchive.read(prefixed))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("not a zip file");

        Map<String, byte[]> extra = new LinkedHashMap<>(shipped);
        extra.put("../evil.sh", new byte[] {1});
        assertThatThrownBy(() -> ModelArchive.read(zip(extra)))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("'../evil.sh'");
        assertThat(Tripwire.tripped()).isFalse();
    }

    @Test
    void aGarbledNormalizerFailsWithoutFallingBackOrRewritingTheFile() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>(shipped);
        entries.put("normalizer.bin", Arrays.copyOf(entries.get("normalizer.bin"), 35));
        Path file = zip(entries);
        byte[] before = Files.readAllBytes(file);

        // restoreNormalizerFromFile would retry with ObjectInputStream over the file and fail with a
        // RuntimeException from that; the direct read fails with the normalizer's own IOException.
        assertThatThrownBy(() -> ModelArchive.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("normalizer");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }
}
