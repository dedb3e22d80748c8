package io.github.dl4jserving.training.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jserving.S3Server;
import io.github.dl4jserving.TestData;
import io.github.dl4jserving.datasets.DatasetFile;
import io.github.dl4jserving.registry.LoadedModel;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelFiles;
import io.github.dl4jserving.registry.ModelKind;
import io.github.dl4jserving.registry.ModelRegistry;
import io.github.dl4jserving.registry.RegistrySettings;
import io.github.dl4jserving.registry.internal.FileModelStore;
import io.github.dl4jserving.registry.internal.S3Clients;
import io.github.dl4jserving.registry.internal.S3ModelStore;
import io.github.dl4jserving.training.InvalidHyperparameterException;
import io.github.dl4jserving.training.TrainCommand;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.ops.transforms.Transforms;

class TrainCommandTest {

    @Test
    void trainsTheLogisticRegressionAndWritesALoadableVersionWithItsProvenance(@TempDir Path models) throws Exception {
        int exit = TrainCommand.run(new String[] {
            "breast-cancer-logreg",
            "--epochs=40",
            "--seed=3",
            "--models-dir=" + models,
            "--data-dir=" + TestData.DATA_DIR
        });

        assertThat(exit).isZero();
        ModelRegistry registry = ModelRegistry.open(new FileModelStore(models));
        LoadedModel model = registry.defaultVersion("breast-cancer-logreg");
        ModelDescriptor d = model.descriptor();
        // version 1 is the shipped one, seeded into the new store first
        assertThat(registry.versions("breast-cancer-logreg")).hasSize(2);
        assertThat(d.version()).isEqualTo(2);
        assertThat(TestData.MODELS_DIR.resolve("breast-cancer-logreg").resolve("2"))
                .doesNotExist();
        assertThat(d.kind()).isEqualTo(ModelKind.TABULAR_CLASSIFIER);
        assertThat(d.input().features()).hasSize(9);
        assertThat(d.labels()).containsExactly("benign", "malignant");
        assertThat(d.metrics()).containsKeys("test_accuracy", "test_precision", "test_recall", "test_f1");
        assertThat(d.metrics().get("test_accuracy")).isGreaterThan(0.9);
        assertThat(d.metrics().get("test_examples")).isEqualTo(140.0);
        assertThat(d.provenance().seed()).isEqualTo(3);
        assertThat(d.provenance().epochs()).isEqualTo(40);
        assertThat(d.provenance().trainingExamples()).isEqualTo(559);
        assertThat(d.provenance().datasetSha256()).containsValue(DatasetFile.BREAST_CANCER.sha256());
        assertThat(model.normalizer()).isNotNull();
    }

    /**
     * One GAN training in two sittings: the first records its options and checkpoints and ships its
     * training state with its version; the second continues with one more epoch, once from that
     * version into a new store and once from the last checkpoint, and says so in its provenance.
     */
    @Test
    void aDcganTrainingSpansTwoSittingsThroughItsCheckpointDirectory(@TempDir Path work) throws Exception {
        Path ck = work.resolve("ck");
        Path models = work.resolve("models");
        Path noSeeds = java.nio.file.Files.createDirectories(work.resolve("no-seeds"));
        String[] first = {
            "mnist-dcgan",
            "--epochs=1",
            "--batch-size=16",
            "--examples=64",
            "--seed=5",
            "--checkpoint-dir=" + ck,
            "--models-dir=" + models,
            "--seed-models-dir=" + noSeeds,
            "--data-dir=" + TestData.DATA_DIR
        };
        assertThat(TrainCommand.run(first)).isZero();
        assertThat(ck.resolve("command.json")).isRegularFile();
        assertThat(Checkpoints.latest(ck)).contains(ck.resolve("checkpoint-000000004"));
        assertThat(Checkpoints.latest(ck.resolve(Checkpoints.BEST)))
                .as("the only epoch is the best so far; --resume=ck/best continues from it")
                .contains(ck.resolve(Checkpoints.BEST).resolve("checkpoint-000000004"));
        assertThat(ck.resolve(Checkpoints.BEST).resolve("command.json")).isRegularFile();

        assertThatThrownBy(() -> TrainCommand.run(first))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--resume=" + ck);
        assertThatThrownBy(() -> TrainCommand.run(new String[] {"mnist-mlp", "--resume", ck.toString()}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds a run of mnist-dcgan");

        // The version shipped its training state; a new store on another machine continues from it.
        Path shipped = models.resolve("mnist-dcgan").resolve("1");
        Path state = shipped.resolve(ModelFiles.TRAINING_STATE);
        assertThat(state.resolve("command.json")).isRegularFile();
        assertThat(state.resolve("checkpoint-000000004").resolve("discriminator.zip"))
                .isRegularFile();
        assertThat(state.resolve("checkpoint-000000004").resolve("stacked.zip"))
                .as("the generator's weights are the version's own")
                .doesNotExist();
        assertThat(state.resolve("checkpoint-000000004").resolve("generator-minus-average-bf16.bin"))
                .as("the version serves the average of the generator's weights; the trained ones are this far off")
                .isRegularFile();
        Path elsewhere = work.resolve("elsewhere");
        assertThat(TrainCommand.run(new String[] {
                    "mnist-dcgan",
                    "--resume=" + shipped,
                    "--epochs=2",
                    "--models-dir=" + elsewhere,
                    "--seed-models-dir=" + noSeeds,
                    "--data-dir=" + TestData.DATA_DIR
                }))
                .isZero();
        LoadedModel continued =
                ModelRegistry.open(new FileModelStore(elsewhere)).defaultVersion("mnist-dcgan");
        ModelDescriptor fromVersion = continued.descriptor();
        assertThat(fromVersion.metrics().get("iterations")).isEqualTo(8.0);
        assertThat(fromVersion.metrics().get("training_images_seen")).isEqualTo(128.0);
        assertThat(fromVersion.provenance().epochs()).isEqualTo(2);
        assertThat(fromVersion.provenance().hyperparameters()).containsEntry("batchSize", 16);
        assertThat(fromVersion.provenance().curve())
                .as("the per-epoch curve goes on from the first sitting's epoch")
                .extracting(ModelDescriptor.EpochScores::epoch)
                .containsExactly(1, 2);
        assertThat(fromVersion.provenance().curve().get(1).scores())
                .containsKeys("inception_score", "frechet_distance", "class_share_0", "class_share_9");
        assertThat(elsewhere.resolve("mnist-dcgan/1").resolve(ModelFiles.TRAINING_STATE))
                .isDirectory();
        assertThatThrownBy(() -> TrainCommand.run(
                        new String[] {"mnist-dcgan", "--resume=" + TestData.MODELS_DIR.resolve("mnist-dcgan/3")}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without training state");

        assertThat(TrainCommand.run(new String[] {"mnist-dcgan", "--resume", ck.toString(), "--epochs=2"}))
                .isZero();
        ModelRegistry registry = ModelRegistry.open(new FileModelStore(models));
        assertThat(registry.versions("mnist-dcgan")).hasSize(2);
        assertThat(state).as("only the newest version keeps its training state").doesNotExist();
        // The same two sittings through a full checkpoint: the version's bfloat16 Adam moments are all
        // that differs, a few ulps of float after four more iterations.
        double apart = Transforms.abs(registry.defaultVersion("mnist-dcgan")
                        .network()
                        .params()
                        .sub(continued.network().params()))
                .maxNumber()
                .doubleValue();
        assertThat(apart).isLessThan(1e-4);
        ModelDescriptor second = registry.defaultVersion("mnist-dcgan").descriptor();
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.metrics().get("iterations")).isEqualTo(8.0);
        assertThat(second.metrics().get("training_images_seen")).isEqualTo(128.0);
        assertThat(second.provenance().epochs()).isEqualTo(2);
        assertThat(second.provenance().notes()).contains("more than one sitting");
        assertThat(second.provenance().hyperparameters())
                .as("a quick job on 64 images: the judge scores 256 generated digits, not 2,000")
                .containsEntry("scoredSamples", 256);
        assertThat(Checkpoints.latest(ck)).contains(ck.resolve("checkpoint-000000008"));
    }

    /**
     * A sitting that lowers the learning rate and keeps only the generator's top half records both:
     * the next sitting goes on with them.
     */
    @Test
    void aLearningRateAndTopFractionChangedInOneSittingHoldForTheNext(@TempDir Path work) throws Exception {
        Path ck = work.resolve("ck");
        Path models = work.resolve("models");
        Path noSeeds = java.nio.file.Files.createDirectories(work.resolve("no-seeds"));
        assertThat(TrainCommand.run(new String[] {
                    "mnist-dcgan",
                    "--epochs=1",
                    "--batch-size=16",
                    "--examples=64",
                    "--checkpoint-dir=" + ck,
                    "--models-dir=" + models,
                    "--seed-models-dir=" + noSeeds,
                    "--data-dir=" + TestData.DATA_DIR
                }))
                .isZero();
        assertThat(TrainCommand.run(new String[] {
                    "mnist-dcgan",
                    "--resume=" + ck,
                    "--epochs=2",
                    "--learning-rate=5e-5",
                    "--generator-top-fraction=0.5"
                }))
                .isZero();
        assertThat(TrainCommand.run(new String[] {"mnist-dcgan", "--resume=" + ck, "--epochs=3"}))
                .isZero();
        ModelDescriptor third = ModelRegistry.open(new FileModelStore(models))
                .defaultVersion("mnist-dcgan")
                .descriptor();
        assertThat(third.version()).isEqualTo(3);
        assertThat(third.metrics().get("iterations")).isEqualTo(12.0);
        assertThat(third.provenance().hyperparameters())
                .containsEntry("learningRate", 5e-5)
                .containsEntry("generatorTopFraction", 0.5)
                .as("changed once, where the second sitting began")
                .hasEntrySatisfying(
                        "settingChanges",
                        changes -> assertThat(changes.toString())
                                .isEqualTo("[{iteration=4, learningRate=5.0E-5, generatorTopFraction=0.5}]"));
    }

    /** What the chart's train Job runs: the command against an S3 repository, seeded first. */
    @Test
    void writesToAnS3RepositoryThatServingReplicasPickUp(@TempDir Path work) throws Exception {
        try (S3Server server = new S3Server(work.resolve("s3")).start()) {
            server.createBucket("models");
            Path seeds = work.resolve("seeds");
            TestData.copyTree(
                    TestData.MODELS_DIR.resolve("breast-cancer-logreg"), seeds.resolve("breast-cancer-logreg"));
            int exit = TrainCommand.run(new String[] {
                "breast-cancer-logreg",
                "--epochs=5",
                "--registry.store=s3",
                "--registry.s3.endpoint=" + server.endpoint(),
                "--registry.s3.bucket=models",
                "--registry.s3.prefix=repo/",
                "--models-dir=" + work.resolve("local"),
                "--seed-models-dir=" + seeds,
                "--data-dir=" + TestData.DATA_DIR
            });
            assertThat(exit).isZero();

            RegistrySettings.S3 s3 = new RegistrySettings.S3(server.endpoint(), "models", "repo/", "us-east-1", true);
            ModelRegistry replica = ModelRegistry.open(
                    new S3ModelStore(S3Clients.of(s3), "models", "repo/", work.resolve("replica-cache"), null, false));
            assertThat(replica.versions("breast-cancer-logreg"))
                    .extracting(LoadedModel::version)
                    .containsExactly(1, 2);
            assertThat(replica.get("breast-cancer-logreg", 2)
                            .descriptor()
                            .provenance()
                            .epochs())
                    .isEqualTo(5);
        }
    }

    @Test
    void theSplitIsStratifiedAndRepeatable() throws Exception {
        var table = BreastCancerLogRegTrainer.breastCancer(
                TrainingData.builtIn(TestData.dataDirectory(), "breast-cancer-wisconsin"));

        var a = StratifiedSplit.of(table.classes(), 0.8, 1);
        var b = StratifiedSplit.of(table.classes(), 0.8, 1);

        assertThat(a.train()).isEqualTo(b.train());
        assertThat(a.test()).hasSize(140);
        assertThat(Arrays.stream(a.test()).filter(i -> table.classes()[i] == 1)).hasSize(48);
        assertThat(Arrays.stream(a.train()).filter(i -> table.classes()[i] == 1))
                .hasSize(193);
    }

    @Test
    void refusesAnUnknownModel() {
        assertThatThrownBy(() -> TrainCommand.run(new String[] {"resnet"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resnet");
    }

    /** The command checks its hyperparameters against the table POST /jobs uses, before any data is read. */
    @Test
    void refusesWhatTheHttpApiRefusesWithTheSameWords() {
        assertThatThrownBy(() -> TrainCommand.run(new String[] {"breast-cancer-logreg", "--epochs=0"}))
                .isInstanceOf(InvalidHyperparameterException.class)
                .hasMessageContaining("epochs = 0 is out of range: it must lie in [1, 10000]");
        assertThatThrownBy(() -> TrainCommand.run(new String[] {"mnist-mlp", "--optimizer=adamw"}))
                .isInstanceOf(InvalidHyperparameterException.class)
                .hasMessageContaining("optimizer must be one of");
        assertThatThrownBy(() -> TrainCommand.run(new String[] {"mnist-mlp", "--degree=3"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--degree is not an option of mnist-mlp");
        assertThatThrownBy(() -> TrainCommand.run(new String[] {"mnist-mlp", "--batch-size=lots"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--batch-size takes a number");
    }
}
