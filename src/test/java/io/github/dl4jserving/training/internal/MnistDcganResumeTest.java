package io.github.dl4jserving.training.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jserving.TestData;
import io.github.dl4jserving.training.TrainingJob;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small DCGAN run stopped in the middle of its second epoch and resumed from its last checkpoint
 * ends with exactly the weights of the same run uninterrupted; checkpoints are complete, atomic and
 * only the last two are kept.
 */
class MnistDcganResumeTest {
    @TempDir
    Path work;

    private static final TrainingOptions SMALL = small(7);

    private static TrainingOptions small(int seed) {
        return TrainingOptions.parse(
                        Map.of("epochs", 2, "batchSize", 16, "seed", seed, "minutes", 30, "examples", 64),
                        new MnistDcganTrainer().hyperparameters())
                .options();
    }

    /**
     * Saves a checkpoint after every iteration in {@code dir} (none if null) and stops after {@code
     * stopAfter} iterations (0: never).
     */
    private static final class Recorder implements TrainingProgress {
        final Checkpoints checkpoints;
        final long stopAfter;
        final List<Integer> epochs = new ArrayList<>();
        final List<Map<String, Double>> validation = new ArrayList<>();
        final List<BufferedImage> grids = new ArrayList<>();
        List<TrainingJob.EpochStats> resumedHistory;
        long iteration;

        Recorder(Path dir, boolean resume, long stopAfter) {
            this.checkpoints =
                    dir == null ? Checkpoints.NONE : new Checkpoints(dir, Duration.ofNanos(1), resume ? dir : null);
            this.stopAfter = stopAfter;
        }

        @Override
        public void iteration(int epoch, long it, double loss, double fraction) {
            iteration = it;
        }

        @Override
        public void epoch(int epoch, double trainingLoss, Map<String, Double> val) {
            epochs.add(epoch);
            validation.add(val);
        }

        @Override
        public void samples(int epoch, BufferedImage grid) {
            grids.add(grid);
        }

        @Override
        public Checkpoints checkpoints() {
            return checkpoints;
        }

        @Override
        public void resumed(int epoch, long it, List<TrainingJob.EpochStats> history) {
            resumedHistory = history;
        }

        @Override
        public boolean cancelRequested() {
            return stopAfter > 0 && iteration >= stopAfter;
        }
    }

    private static TrainedModel train(Recorder progress) throws Exception {
        return new MnistDcganTrainer().train(TrainingData.builtIn(TestData.dataDirectory(), "mnist"), SMALL, progress);
    }

    @Test
    void aResumedRunEndsWithTheWeightsOfAnUninterruptedOne() throws Exception {
        Recorder whole = new Recorder(null, false, 0);
        TrainedModel uninterrupted = train(whole);
        assertThat(whole.epochs).containsExactly(1, 2);
        assertThat(whole.validation.get(1)).containsKeys("inception_score", "frechet_distance", "largest_class_share");
        assertThat(whole.grids).hasSize(2);
        assertThat(whole.grids.get(0).getWidth()).isEqualTo(8 * (56 + 2) + 2);
        assertThat(uninterrupted.descriptor().metrics())
                .containsKeys("inception_score", "frechet_distance", "class_share_0", "class_share_9");

        Path dir = work.resolve("stopped");
        assertThatThrownBy(() -> train(new Recorder(dir, false, 6))).isInstanceOf(TrainingCancelledException.class);
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("the last two checkpoints, the best epoch's, and nothing half-written")
                    .containsExactlyInAnyOrder("checkpoint-000000005", "checkpoint-000000006", Checkpoints.BEST);
        }
        assertThat(dir.resolve("checkpoint-000000006")).isDirectoryContaining("glob:**/state.json");

        Recorder resumed = new Recorder(dir, true, 0);
        TrainedModel continued = train(resumed);
        assertThat(resumed.resumedHistory)
                .extracting(TrainingJob.EpochStats::epoch)
                .containsExactly(1);
        assertThat(resumed.epochs).containsExactly(2);
        assertThat(continued.network().params())
                .isEqualTo(uninterrupted.network().params());
        Map<String, Double> a =
                new java.util.TreeMap<>(uninterrupted.descriptor().metrics());
        Map<String, Double> b = new java.util.TreeMap<>(continued.descriptor().metrics());
        a.remove("training_seconds");
        b.remove("training_seconds");
        assertThat(b).isEqualTo(a);
        assertThat(continued.fit().notes()).contains("more than one sitting");
    }

    @Test
    void aCheckpointOfOtherSettingsIsRefused() throws Exception {
        Path dir = work.resolve("other");
        assertThatThrownBy(() -> train(new Recorder(dir, false, 2))).isInstanceOf(TrainingCancelledException.class);
        TrainingOptions otherSeed = small(8);
        assertThatThrownBy(() -> new MnistDcganTrainer()
                        .train(
                                TrainingData.builtIn(TestData.dataDirectory(), "mnist"),
                                otherSeed,
                                new Recorder(dir, true, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("seed 7");
    }

    @Test
    void aHalfWrittenCheckpointIsNeverResumedFrom() throws Exception {
        Checkpoints checkpoints = new Checkpoints(work, Duration.ZERO, work);
        checkpoints.save(1, dir -> Files.writeString(dir.resolve("state.json"), "{}"));
        assertThatThrownBy(() -> checkpoints.save(2, dir -> {
                    Files.writeString(dir.resolve("state.json"), "{");
                    throw new java.io.IOException("disk full");
                }))
                .hasMessage("disk full");
        assertThat(checkpoints.resumePoint()).contains(work.resolve("checkpoint-000000001"));
        checkpoints.save(3, dir -> {});
        checkpoints.save(4, dir -> {});
        assertThat(Checkpoints.latest(work)).contains(work.resolve("checkpoint-000000004"));
        assertThat(work.resolve("checkpoint-000000001")).doesNotExist();
    }
}
