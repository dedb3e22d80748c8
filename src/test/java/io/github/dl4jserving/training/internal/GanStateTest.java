package io.github.dl4jserving.training.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GanStateTest {
    private static final DcganNetworks.Upsampling RESIZE = DcganNetworks.Upsampling.RESIZE;

    @Test
    void aResumedRunMayChangeItsLearningRateAndRecordsWhere(@TempDir Path dir) throws Exception {
        GanState trained = GanState.start(7, 16, 1e-4, 64, RESIZE).at(2, 32, 6, 96, 1_000, 1, 1, 2, 0.5, 0.7);
        trained.write(dir);

        GanState same = GanState.forResume(dir, 7, 16, 1e-4, 64);
        assertThat(same.rateChanges()).isEmpty();
        assertThat(same.provenance(2, Duration.ofMinutes(1), 256)).doesNotContainKey("learningRateChanges");

        GanState slower = GanState.forResume(dir, 7, 16, 5e-5, 64);
        assertThat(slower.learningRate()).isEqualTo(5e-5);
        Map<String, Object> provenance = slower.provenance(2, Duration.ofMinutes(1), 256);
        assertThat(provenance).containsEntry("learningRate", 5e-5);
        assertThat(provenance.get("learningRateChanges"))
                .isEqualTo(java.util.List.of(new GanState.RateChange(6, 5e-5)));
        slower.write(dir);
        assertThat(GanState.read(dir).rateChanges())
                .as("kept through the next checkpoint")
                .containsExactly(new GanState.RateChange(6, 5e-5));

        assertThatThrownBy(() -> GanState.forResume(dir, 8, 16, 5e-5, 64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("seed 7");
    }

    @Test
    void aCheckpointFromBeforeAveragingOrRateChangesStillReads(@TempDir Path dir) throws Exception {
        GanState.start(7, 16, 1e-4, 64, RESIZE)
                .at(1, 16, 3, 48, 1_000, 1, 1, 1, 0.5, 0.7)
                .write(dir);
        String json = Files.readString(dir.resolve("state.json"))
                .replaceAll(",\\s*\"averageFrom\"\\s*:\\s*\\d+", "")
                .replaceAll(",\\s*\"rateChanges\"\\s*:\\s*\\[\\s*]", "");
        assertThat(json).doesNotContain("averageFrom").doesNotContain("rateChanges");
        Files.writeString(dir.resolve("state.json"), json);
        GanState old = GanState.read(dir);
        assertThat(old.rateChanges()).isEmpty();
        assertThat(old.averagingSince())
                .as("averaging starts where such a run resumes")
                .isEqualTo(3);
        assertThat(old.at(1, 32, 4, 64, 2_000, 1, 1, 2, 0.5, 0.7).averageFrom()).isEqualTo(3);
    }
}
