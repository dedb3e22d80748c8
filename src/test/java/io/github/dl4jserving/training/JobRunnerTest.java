package io.github.dl4jserving.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jserving.datasets.DataDirectory;
import io.github.dl4jserving.datasets.DatasetStore;
import io.github.dl4jserving.platform.NativeBackend;
import io.github.dl4jserving.registry.ModelDescriptor;
import io.github.dl4jserving.registry.ModelKind;
import io.github.dl4jserving.registry.ModelRegistry;
import io.github.dl4jserving.registry.internal.FileModelStore;
import io.github.dl4jserving.training.internal.BuildVersions;
import io.github.dl4jserving.training.internal.JobStore;
import io.github.dl4jserving.training.internal.TrainedModel;
import io.github.dl4jserving.training.internal.Trainer;
import io.github.dl4jserving.training.internal.TrainingCancelledException;
import io.github.dl4jserving.training.internal.TrainingData;
import io.github.dl4jserving.training.internal.TrainingMetrics;
import io.github.dl4jserving.training.internal.TrainingOptions;
import io.github.dl4jserving.training.internal.TrainingProgress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The job machinery on its own, with a fake trainer that fits a two-weight network in a moment: no
 * MNIST, no HTTP. Admission, the runner's provenance and promotion, cancellation, and event fan-out.
 */
class JobRunnerTest {
    @TempDir
    Path root;

    private TrainingJobs jobs;
    private ModelRegistry registry;
    private final FakeTrainer trainer = new FakeTrainer();

    @BeforeEach
    void start() {
        registry = ModelRegistry.open(new FileModelStore(root));
        jobs = jobs(new TrainingSettings(1, 1, Duration.ofSeconds(5), Duration.ofHours(1), null));
    }

    private TrainingJobs jobs(TrainingSettings settings) {
        TrainingJobs started = new TrainingJobs(
                List.of(trainer),
                registry,
                new DataDirectory(root.resolve("data")),
                new DatasetStore(root, 4096, 1L << 30, 1 << 20),
                new JobStore(root),
                new TrainingMetrics(new SimpleMeterRegistry()),
                settings);
        started.start();
        return started;
    }

    @AfterEach
    void stop() {
        trainer.release.countDown();
        jobs.close();
    }

    private TrainingJob awaitFinal(String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        TrainingJob job = jobs.get(id);
        while (!job.status().isFinal() && System.nanoTime() < deadline) {
            Thread.sleep(10);
            job = jobs.get(id);
        }
        return job;
    }

    @Test
    void aFinishedJobPublishesItsVersionWithTheProvenanceTheRunnerRecords() throws Exception {
        trainer.release.countDown();

        TrainingJob done =
                awaitFinal(jobs.submit(FakeTrainer.NAME, null, Map.of("learningRate", 0.7), "if-better", null)
                        .id());

        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.resultVersion()).isEqualTo(1);
        assertThat(done.promoted()).isTrue();
        ModelDescriptor written = registry.get(FakeTrainer.NAME, 1).descriptor();
        ModelDescriptor.Provenance p = written.provenance();
        assertThat(p.jobId()).isEqualTo(done.id());
        assertThat(p.trainer()).isEqualTo("FakeTrainer");
        assertThat(p.dataset()).isEqualTo("pairs");
        assertThat(p.datasetSha256()).containsEntry("pairs", "00");
        assertThat(p.hyperparameters()).containsEntry("learningRate", 0.7);
        assertThat(p.seed()).isEqualTo(42);
        assertThat(p.dl4jVersion()).isEqualTo(BuildVersions.DL4J);
        assertThat(p.trainingSeconds()).isPositive();
    }

    @Test
    void aJobsThreadRunsNd4jsOpenMpTeamsAtTheConfiguredSize() throws Exception {
        Nd4j.getEnvironment(); // the native ops need ND4J loaded first
        int limit = NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads() + 1;
        try {
            NativeBackend.limitOperationThreads(limit); // as the service does at start-up
            trainer.release.countDown();
            awaitFinal(jobs.submit(FakeTrainer.NAME, null, Map.of(), "always", null)
                    .id());
            assertThat(trainer.openMpThreads).isEqualTo(limit);
        } finally {
            NativeBackend.limitOperationThreads(1); // as the tests' forks run (OMP_NUM_THREADS=1)
        }
    }

    @Test
    void ifBetterPromotesOnlyAVersionThatBeatsTheDefault() throws Exception {
        trainer.release.countDown();
        awaitFinal(jobs.submit(FakeTrainer.NAME, null, Map.of("learningRate", 0.8), "if-better", null)
                .id());

        TrainingJob worse =
                awaitFinal(jobs.submit(FakeTrainer.NAME, null, Map.of("learningRate", 0.6), "if-better", null)
                        .id());

        assertThat(worse.promoted()).isFalse();
        assertThat(worse.promotionReason()).contains("does not beat");
        assertThat(registry.defaultVersion(FakeTrainer.NAME).version()).isEqualTo(1);
    }

    @Test
    void aTrainingThatDivergedFailsWithItsReasonAndWritesNoVersion() throws Exception {
        trainer.release.countDown();

        TrainingJob diverged =
                awaitFinal(jobs.submit(FakeTrainer.NAME, null, Map.of("learningRate", 1.0), "always", null)
                        .id());

        // Before: SUCCEEDED with accuracy NaN, and the new default answered NaN.
        assertThat(diverged.status()).isEqualTo(JobStatus.FAILED);
        assertThat(diverged.error()).contains("diverged", "accuracy NaN", "parameters", "Lower the learning rate");
        assertThat(registry.names()).as("nothing was written").isEmpty();
    }

    @Test
    void finishedJobsBeyondTheRetentionAreDeletedWithTheirFilesAndTheListIsPaged() throws Exception {
        jobs.close();
        jobs = jobs(new TrainingSettings(
                1,
                1,
                Duration.ofSeconds(5),
                Duration.ofHours(1),
                null,
                Duration.ofMinutes(10),
                new TrainingSettings.Retention(5, Duration.ofDays(1), 1)));
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) { // submit and cancel, as the attack did 400 times
            TrainingJob job = jobs.submit(FakeTrainer.NAME, null, Map.of(), "never", null);
            ids.add(job.id());
            jobs.cancel(job.id());
            assertThat(awaitFinal(job.id()).status()).isEqualTo(JobStatus.CANCELLED);
            java.nio.file.Files.createDirectories(
                    root.resolve(".jobs").resolve(job.id()).resolve("checkpoints"));
        }
        jobs.submit(FakeTrainer.NAME, null, Map.of(), "never", null); // prunes the finished ones

        List<TrainingJob> finished = jobs.list(JobStatus.CANCELLED, null);
        // Before: all 12 records stayed, each with its files, and GET /jobs returned them all.
        assertThat(finished)
                .extracting(TrainingJob::id)
                .containsExactly(ids.get(11), ids.get(10), ids.get(9), ids.get(8), ids.get(7));
        try (var files = java.nio.file.Files.list(root.resolve(".jobs"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".json"))).hasSize(6);
        }
        assertThat(root.resolve(".jobs").resolve(ids.get(0)))
                .as("a deleted job's files")
                .doesNotExist();
        assertThat(root.resolve(".jobs").resolve(ids.get(11)).resolve("checkpoints"))
                .as("the newest finished job keeps its checkpoints")
                .exists();
        assertThat(root.resolve(".jobs").resolve(ids.get(10)).resolve("checkpoints"))
                .as("older ones do not")
                .doesNotExist();

        TrainingJobs.Page first = jobs.page(JobStatus.CANCELLED, null, 2, null);
        TrainingJobs.Page second = jobs.page(JobStatus.CANCELLED, null, 2, first.next());
        TrainingJobs.Page last = jobs.page(JobStatus.CANCELLED, null, 2, second.next());
        assertThat(first.jobs()).extracting(TrainingJob::id).containsExactly(ids.get(11), ids.get(10));
        assertThat(second.jobs()).extracting(TrainingJob::id).containsExactly(ids.get(9), ids.get(8));
        assertThat(last.jobs()).extracting(TrainingJob::id).containsExactly(ids.get(7));
        assertThat(last.next()).isNull();
        assertThatThrownBy(() -> jobs.page(null, null, 2, ids.get(0)))
                .isInstanceOf(InvalidHyperparameterException.class)
                .hasMessageContaining("retention");
    }

    @Test
    void refusesAJobBeyondTheRunningOneAndTheQueueAndCancelsTheRunningOne() throws Exception {
        TrainingJob running = jobs.submit(FakeTrainer.NAME, null, Map.of(), "always", null);
        TrainingJob queued = jobs.submit(FakeTrainer.NAME, null, Map.of(), "always", null);
        assertThat(trainer.started.await(30, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> jobs.submit(FakeTrainer.NAME, null, Map.of(), "always", null))
                .isInstanceOf(JobQueueFullException.class);
        assertThat(jobs.cancel(queued.id()).status()).isEqualTo(JobStatus.CANCELLED);
        jobs.cancel(running.id());

        assertThat(awaitFinal(running.id()).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(registry.names()).as("a cancelled job writes no version").isEmpty();
        assertThat(jobs.submit(FakeTrainer.NAME, null, Map.of(), "always", null).status())
                .as("both slots are free again")
                .isIn(JobStatus.QUEUED, JobStatus.RUNNING);
    }

    @Test
    void aSubscriberThatDoesNotReturnDoesNotHoldUpTraining() throws Exception {
        CountDownLatch subscriberMayReturn = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        TrainingJob job = jobs.submit(FakeTrainer.NAME, null, Map.of(), "always", null);
        jobs.subscribe(job.id(), event -> {
            seen.add(event.type()
                    + (event.type().equals("status") ? " " + event.data().get("status") : ""));
            if (seen.size() == 2) { // stuck in its second event, as a client that stopped reading would be
                try {
                    subscriberMayReturn.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        trainer.release.countDown();

        TrainingJob done = awaitFinal(job.id());
        subscriberMayReturn.countDown();

        assertThat(done.status())
                .as("the job finished while its subscriber was stuck")
                .isEqualTo(JobStatus.SUCCEEDED);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!seen.contains("status SUCCEEDED") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(seen)
                .as("and the subscriber still got every event, in order")
                .containsSubsequence("status RUNNING", "progress", "epoch", "status SUCCEEDED")
                .endsWith("status SUCCEEDED");
    }

    @Test
    void theEtaWaitsForTwoPercentOfTheWorkAfterTheFirstIterationAndEndsWithTheJob() throws Exception {
        String id = jobs.submit(FakeTrainer.NAME, null, Map.of(), "never", null).id();
        assertThat(trainer.started.await(30, TimeUnit.SECONDS)).isTrue();

        // The first iteration comes after loading the data: its 30% are not a rate.
        assertThat(iterate(id, 0.30, 1).etaSeconds()).isNull();
        assertThat(iterate(id, 0.31, 2).etaSeconds())
                .as("1% of the work after the first iteration")
                .isNull();
        Thread.sleep(200);
        TrainingJob measured = iterate(id, 0.37, 3);
        // 7% in >= 0.2 s leaves 63% for >= 1.8 s; the 30% before the first iteration do not count.
        assertThat(measured.etaSeconds())
                .isNotNull()
                .isGreaterThanOrEqualTo(1.8)
                .isLessThan(60.0);

        trainer.release.countDown();
        TrainingJob done = awaitFinal(id);
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.etaSeconds()).isNull();
    }

    /** Has the fake report {@code fraction} as its {@code n}th iteration and returns the job after it. */
    private TrainingJob iterate(String id, double fraction, long n) throws InterruptedException {
        trainer.fractions.add(fraction);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        TrainingJob job = jobs.get(id);
        while (job.iteration() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
            job = jobs.get(id);
        }
        assertThat(job.iteration()).isEqualTo(n);
        return job;
    }

    /** Makes a 2-input logistic unit; reports the accuracy it is told to, for promotion tests. */
    static final class FakeTrainer implements Trainer {
        static final String NAME = "fake-pairs";
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        /** Fractions of the work the job reports as iterations while it waits for {@link #release}. */
        final BlockingQueue<Double> fractions = new LinkedBlockingQueue<>();
        /** The OpenMP team size ND4J's ops would get on the job's thread. */
        volatile int openMpThreads;

        @Override
        public String modelName() {
            return NAME;
        }

        @Override
        public ModelKind kind() {
            return ModelKind.TABULAR_CLASSIFIER;
        }

        @Override
        public String description() {
            return "a fake for the job machinery";
        }

        @Override
        public List<String> datasets() {
            return List.of("pairs");
        }

        @Override
        public List<Hyperparameter> hyperparameters() {
            return List.of(Hyperparameter.number("learningRate", 0.5, 0, 1, "reported back as the accuracy"));
        }

        @Override
        public PrimaryMetric primaryMetric() {
            return new PrimaryMetric("accuracy", true);
        }

        @Override
        public TrainedModel train(TrainingData data, TrainingOptions options, TrainingProgress progress)
                throws IOException {
            Nd4j.getEnvironment(); // the native ops need ND4J loaded first
            openMpThreads = NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
            started.countDown();
            try {
                long iteration = 0;
                while (!release.await(5, TimeUnit.MILLISECONDS)) {
                    Double fraction = fractions.poll();
                    if (fraction != null) {
                        progress.iteration(1, ++iteration, 0.7, fraction);
                    }
                    if (progress.cancelRequested()) {
                        throw new TrainingCancelledException();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TrainingCancelledException();
            }
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                    .seed(42)
                    .list()
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT)
                            .nIn(2)
                            .nOut(1)
                            .activation(Activation.SIGMOID)
                            .build())
                    .build());
            net.init();
            if (options.learningRate() != null && options.learningRate() == 1.0) { // "diverges"
                net.params().assign(Float.NaN);
            }
            progress.iteration(1, 1, 0.5, 1.0);
            progress.epoch(1, 0.5, Map.of());
            double accuracy = options.learningRate() == null
                    ? 0.5
                    : options.learningRate() == 1.0 ? Double.NaN : options.learningRate();
            Map<String, Object> hyper =
                    Map.of("learningRate", options.learningRate() == null ? 0.5 : options.learningRate());
            ModelDescriptor descriptor = new ModelDescriptor(
                    NAME,
                    0,
                    ModelKind.TABULAR_CLASSIFIER,
                    Instant.now(),
                    description(),
                    ModelDescriptor.InputSchema.features(List.of(
                            new ModelDescriptor.FeatureRange("x", 0, 1), new ModelDescriptor.FeatureRange("y", 0, 1))),
                    List.of("no", "yes"),
                    Map.of("accuracy", accuracy),
                    null);
            return new TrainedModel(
                    net,
                    null,
                    descriptor,
                    new TrainedModel.Fit("pairs", Map.of("pairs", "00"), hyper, 42, 1, 4, "fake"));
        }
    }
}
