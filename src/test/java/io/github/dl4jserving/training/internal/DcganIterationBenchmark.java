package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.TestData;
import io.github.dl4jserving.datasets.DatasetFile;
import io.github.dl4jserving.datasets.MnistIdxReader;
import io.github.dl4jserving.platform.NativeBackend;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.profiler.OpProfiler;
import org.nd4j.linalg.profiler.ProfilerConfig;

/**
 * Where one DCGAN iteration's time goes (issue 17): the trainer's own loop ({@link MnistDcganTrainer},
 * batch 64: a generator forward pass, the discriminator's step on 64 real and 64 generated images,
 * the copy of the discriminator into the stacked network, and the stacked network's step), each
 * part timed over the iterations after a warm-up; with {@code profile}, ND4J's op profiler then
 * prints the time per native op over a few more.
 *
 * <p>Arguments: data directory (default ../shared/data), ND4J threads (default 1), timed iterations
 * (default 20), batch size (default 64), then any of: "profile"; "transposed" or "resize" (how the
 * generator upsamples; default the trainer's); "deconv1" (the generator before issue 17: transposed,
 * and its first layer after the dense one a stride-1 transposed convolution, which the trainer runs
 * as the plain 5x5 convolution with 'same' padding it equals).
 */
public final class DcganIterationBenchmark {
    private DcganIterationBenchmark() {}

    public static void main(String[] args) throws Exception {
        NativeBackend.configure();
        Path data = args.length > 0 ? Path.of(args[0]) : TestData.DATA_DIR;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        java.util.List<String> flags = java.util.Arrays.asList(args).subList(Math.min(4, args.length), args.length);
        boolean profile = flags.contains("profile");
        boolean deconv1 = flags.contains("deconv1");
        DcganNetworks.Upsampling upsampling = flags.contains("transposed") || deconv1
                ? DcganNetworks.Upsampling.TRANSPOSED
                : flags.contains("resize") ? DcganNetworks.Upsampling.RESIZE : MnistDcganTrainer.UPSAMPLING;
        NativeBackend.limitOperationThreads(threads); // as the service does, and a job on its thread

        MnistIdxReader.IdxImages train = MnistIdxReader.readImages(
                new io.github.dl4jserving.datasets.DataDirectory(data).resolve(DatasetFile.MNIST_TRAIN_IMAGES));
        long seed = 42;
        Nd4j.getRandom().setSeed(seed);
        MultiLayerNetwork discriminator = new MultiLayerNetwork(DcganNetworks.discriminatorConfiguration(seed, 1e-4));
        discriminator.init();
        MultiLayerConfiguration generatorConf = DcganNetworks.generatorConfiguration(seed, 1e-4, upsampling);
        if (deconv1) {
            generatorConf
                    .getConf(3)
                    .setLayer(new Deconvolution2D.Builder()
                            .nIn(256)
                            .nOut(128)
                            .kernelSize(5, 5)
                            .stride(1, 1)
                            .convolutionMode(ConvolutionMode.Same)
                            .hasBias(false)
                            .activation(Activation.IDENTITY)
                            .weightInit(new NormalDistribution(0, 0.02))
                            .updater(new Adam(1e-4))
                            .build());
        }
        MultiLayerNetwork generator = new MultiLayerNetwork(generatorConf);
        generator.init();
        MultiLayerNetwork stacked = DcganNetworks.stack(generator, discriminator, seed, 1e-4);
        int[] order = MnistSamples.shuffled(train.count(), new Random(seed));

        Map<String, Long> nanos = new LinkedHashMap<>();
        for (String part : new String[] {
            "batch",
            "generate",
            "discriminator fit",
            "copy D",
            "stacked fit",
            "generator forward only",
            "discriminator forward only (128)"
        }) {
            nanos.put(part, 0L);
        }
        int warmup = 5;
        for (int it = 0; it < warmup + iterations; it++) {
            if (it == warmup + iterations - 3 && profile) {
                Nd4j.getExecutioner()
                        .setProfilingConfig(
                                ProfilerConfig.builder().checkElapsedTime(true).build());
                OpProfiler.getInstance().reset();
            }
            boolean timed = it >= warmup;
            long t0 = System.nanoTime();
            INDArray real = DcganInputs.realBatch(train, order, (it * batch) % (order.length - batch), batch);
            long t1 = System.nanoTime();
            INDArray fake = stacked.feedForwardToLayer(
                            generator.getnLayers() - 1,
                            Nd4j.randn(DataType.FLOAT, batch, MnistDcganTrainer.LATENT),
                            true)
                    .get(generator.getnLayers());
            long t2 = System.nanoTime();
            INDArray labels = Nd4j.vstack(Nd4j.ones(DataType.FLOAT, batch, 1), Nd4j.zeros(DataType.FLOAT, batch, 1));
            discriminator.fit(new DataSet(Nd4j.concat(0, real, fake), labels));
            long t3 = System.nanoTime();
            DcganNetworks.copyDiscriminatorInto(stacked, discriminator);
            long t4 = System.nanoTime();
            stacked.fit(new DataSet(
                    Nd4j.randn(DataType.FLOAT, batch, MnistDcganTrainer.LATENT), Nd4j.ones(DataType.FLOAT, batch, 1)));
            long t5 = System.nanoTime();
            stacked.output(Nd4j.randn(DataType.FLOAT, batch, MnistDcganTrainer.LATENT), false);
            long t6 = System.nanoTime();
            discriminator.output(Nd4j.concat(0, real, fake), false);
            long t7 = System.nanoTime();
            if (timed) {
                nanos.merge("batch", t1 - t0, Long::sum);
                nanos.merge("generate", t2 - t1, Long::sum);
                nanos.merge("discriminator fit", t3 - t2, Long::sum);
                nanos.merge("copy D", t4 - t3, Long::sum);
                nanos.merge("stacked fit", t5 - t4, Long::sum);
                nanos.merge("generator forward only", t6 - t5, Long::sum);
                nanos.merge("discriminator forward only (128)", t7 - t6, Long::sum);
            }
        }
        long iterationNanos = nanos.get("batch")
                + nanos.get("generate")
                + nanos.get("discriminator fit")
                + nanos.get("copy D")
                + nanos.get("stacked fit");
        System.out.printf(
                "dcgan (%s%s) threads=%d batch=%d: %.1f ms per iteration (%d timed), %.1f images/s%n",
                upsampling.name().toLowerCase(java.util.Locale.ROOT),
                deconv1 ? ", deconv1" : "",
                threads,
                batch,
                iterationNanos / 1e6 / iterations,
                iterations,
                batch * iterations / (iterationNanos / 1e9));
        nanos.forEach((part, n) -> System.out.printf(
                "  %-34s %8.1f ms  %5.1f%%%n", part, n / 1e6 / iterations, 100.0 * n / iterationNanos));
        if (profile) {
            OpProfiler.getInstance().printOutDashboard();
        }
    }
}
