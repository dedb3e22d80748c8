package io.github.dl4jserving.training.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GanStateTest {
    private static final DcganNetworks.Upsampling RESIZE = DcganNetworks.Upsampling.RESIZE;

    @Test
    void aResumedRunMayChangeItsLearningRateAndRecordsWhere(@TempDir Path dir) throws Exception {
        GanState trained = GanState.start(7, 16, 1e-4, 64, RESIZE, 1.0).at(2, 32, 6, 96, 1_000, 1, 1, 2, 0.5, 0.7);
        trained.write(dir);

        GanState same = GanState.forResume(dir, 7, 16, 1e-4, 64, 1.0);
        assertThat(same.rateChanges()).isEmpty();
        assertThat(same.provenance(2, Duration.ofMinutes(1), 256)).doesNotContainKey("settingChanges");

        GanState slower = GanState.forResume(dir, 7, 16, 5e-5, 64, 1.0);
        assertThat(slower.learningRate()).isEqualTo(5e-5);
        Map<String, Object> provenance = slower.provenance(2, Duration.ofMinutes(1), 256);
        assertThat(provenance).containsEntry("learningRate", 5e-5).containsEntry("generatorTopFraction", 1.0);
        assertThat(provenance.get("settingChanges")).isEqualTo(List.of(new SettingChange(6, 5e-5, 1.0)));
        slower.write(dir);
        assertThat(GanState.read(dir).rateChanges())
                .as("kept through the next checkpoint")
                .containsExactly(new SettingChange(6, 5e-5, 1.0));
        assertThat(GanState.read(dir).generatorKeep()).isEqualTo(16);
        String before = Files.readString(dir.resolve("state.json"))
                .replaceAll(",\\s*\"generatorTopFraction\"\\s*:\\s*[0-9.]+", "");
        assertThat(before).contains("\"learningRate\"").doesNotContain("generatorTopFraction");
        Files.writeString(dir.resolve("state.json"), before);
        assertThat(GanState.read(dir).rateChanges())
                .as("a change recorded before the fraction could change")
                .containsExactly(new SettingChange(6, 5e-5, 1.0));

        assertThatThrownBy(() -> GanState.forResume(dir, 8, 16, 5e-5, 64, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("seed 7");
    }

    @Test
    void aResumedRunMayLearnFromItsTopDigitsOnlyAndRecordsWhere(@TempDir Path dir) throws Exception {
        GanState.start(7, 16, 1e-4, 64, RESIZE, 1.0)
                .at(2, 32, 6, 96, 1_000, 1, 1, 2, 0.5, 0.7)
                .write(dir);
        GanState top = GanState.forResume(dir, 7, 16, 1e-4, 64, 0.5);
        assertThat(top.generatorKeep()).as("half of a batch of 16").isEqualTo(8);
        assertThat(top.provenance(2, Duration.ofMinutes(1), 256))
                .containsEntry("generatorTopFraction", 0.5)
                .containsEntry("settingChanges", List.of(new SettingChange(6, 1e-4, 0.5)));
        top.write(dir);
        assertThat(GanState.forResume(dir, 7, 16, 1e-4, 64, 0.5).rateChanges())
                .as("the same fraction again is no change")
                .hasSize(1);
        assertThat(GanState.start(7, 3, 1e-4, 64, RESIZE, 0.25).generatorKeep())
                .as("at least one digit")
                .isEqualTo(1);
    }

    @Test
    void aCheckpointFromBeforeAveragingOrRateChangesStillReads(@TempDir Path dir) throws Exception {
        GanState.start(7, 16, 1e-4, 64, RESIZE, 1.0)
                .at(1, 16, 3, 48, 1_000, 1, 1, 1, 0.5, 0.7)
                .write(dir);
        String json = Files.readString(dir.resolve("state.json"))
                .replaceAll(",\\s*\"averageFrom\"\\s*:\\s*\\d+", "")
                .replaceAll(",\\s*\"rateChanges\"\\s*:\\s*\\[\\s*]", "")
                .replaceAll(",\\s*\"topFraction\"\\s*:\\s*[0-9.]+", "");
        assertThat(json)
                .doesNotContain("averageFrom")
                .doesNotContain("rateChanges")
                .doesNotContain("topFraction");
        Files.writeString(dir.resolve("state.json"), json);
        GanState old = GanState.read(dir);
        assertThat(old.rateChanges()).isEmpty();
        assertThat(old.generatorKeep())
                .as("no top fraction recorded: every digit")
                .isEqualTo(16);
        assertThat(old.averagingSince())
                .as("averaging starts where such a run resumes")
                .isEqualTo(3);
        assertThat(old.at(1, 32, 4, 64, 2_000, 1, 1, 2, 0.5, 0.7).averageFrom()).isEqualTo(3);
    }
}
