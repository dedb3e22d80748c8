package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.datasets.DataDirectory;
import io.github.dl4jserving.datasets.DatasetFile;
import io.github.dl4jserving.datasets.MnistIdxReader;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the {@link GeneratorJudge}'s network was made and is checked: its configuration, its training
 * on the MNIST training digits, and the command line that trains it, writes the statistics shipped
 * beside it and scores generators with it.
 */
public final class JudgeTool {
    private static final Logger log = LoggerFactory.getLogger(JudgeTool.class);

    private JudgeTool() {}

    static MultiLayerConfiguration configuration(long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5)
                        .nIn(1)
                        .nOut(32)
                        .convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(5, 5)
                        .nOut(64)
                        .convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nOut(128)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build();
    }

    /** Trains the judge on the 60,000 training digits, shifted by up to two pixels for robustness. */
    static MultiLayerNetwork train(MnistIdxReader.MnistData mnist, int epochs, long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(seed));
        net.init();
        Random random = new Random(seed);
        int batch = 128;
        int n = mnist.trainImages().count();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            int[] order = MnistSamples.shuffled(n, random);
            for (int from = 0; from + batch <= n; from += batch) {
                int[] idx = Arrays.copyOfRange(order, from, from + batch);
                INDArray x = shifted(mnist.trainImages(), idx, random);
                INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 10);
                for (int r = 0; r < batch; r++) {
                    y.putScalar(r, mnist.trainLabels()[idx[r]], 1f);
                }
                net.fit(new DataSet(x, y));
            }
            log.info("judge epoch {}: loss {}", epoch, net.score());
        }
        return net;
    }

    /** Images {@code idx} in [-1, 1], each moved by up to two pixels in x and y. */
    private static INDArray shifted(MnistIdxReader.IdxImages images, int[] idx, Random random) {
        float[] buffer = new float[idx.length * 784];
        Arrays.fill(buffer, -1f);
        for (int r = 0; r < idx.length; r++) {
            int dx = random.nextInt(5) - 2;
            int dy = random.nextInt(5) - 2;
            byte[] px = images.pixels()[idx[r]];
            for (int y = 0; y < 28; y++) {
                int sy = y - dy;
                if (sy < 0 || sy >= 28) {
                    continue;
                }
                for (int x = 0; x < 28; x++) {
                    int sx = x - dx;
                    if (sx >= 0 && sx < 28) {
                        buffer[r * 784 + y * 28 + x] = (px[sy * 28 + sx] & 0xFF) / 127.5f - 1f;
                    }
                }
            }
        }
        return Nd4j.create(buffer, new long[] {idx.length, 1, 28, 28}, DataType.FLOAT);
    }

    /**
     * {@code JudgeTool train <data dir> <output zip> [epochs, default 3]} trains the judge and
     * writes it without updater state (the shipped one is
     * {@code src/main/resources/io/github/dl4jserving/training/internal/mnist-judge.zip});
     * {@code JudgeTool score <data dir> <generator zip>...} prints the scores of 2,000 digits
     * from each generator, after those of 2,000 real test digits; {@code JudgeTool statistics
     * <data dir> <output>} writes the shipped judge's statistics of the MNIST test digits (the
     * shipped ones are {@code .../training/internal/mnist-judge-test-statistics.bin}), to be written
     * again whenever the judge is.
     */
    public static void main(String[] args) throws IOException {
        io.github.dl4jserving.platform.NativeBackend.configure();
        DataDirectory data = new DataDirectory(Path.of(args[1]));
        MnistIdxReader.MnistData mnist = MnistIdxReader.read(data);
        INDArray test = GeneratorJudge.images(
                mnist.testImages(),
                IntStream.range(0, mnist.testImages().count()).toArray());
        if (args[0].equals("train")) {
            Path out = Path.of(args[2]);
            MultiLayerNetwork net = train(mnist, args.length > 3 ? Integer.parseInt(args[3]) : 3, 42);
            Files.createDirectories(out.toAbsolutePath().getParent());
            ModelSerializer.writeModel(net, out.toFile(), false);
        }
        GeneratorJudge judge = GeneratorJudge.of(mnist.testImages());
        if (args[0].equals("statistics")) {
            Path testFile = data.resolve(DatasetFile.MNIST_TEST_IMAGES);
            judge.testStatistics()
                    .write(
                            Path.of(args[2]),
                            DataDirectory.sha256(GeneratorJudge.shippedBytes(GeneratorJudge.RESOURCE)),
                            DataDirectory.sha256(testFile));
        }
        System.out.printf("judge: test accuracy %.4f%n", judge.accuracy(test, mnist.testLabels()));
        System.out.printf(
                "2,000 test digits: %s%n",
                judge.score(GeneratorJudge.images(
                                mnist.testImages(), IntStream.range(0, 2000).toArray()))
                        .metrics());
        for (int i = 2; args[0].equals("score") && i < args.length; i++) {
            MultiLayerNetwork generator = ModelSerializer.restoreMultiLayerNetwork(new File(args[i]), false);
            INDArray samples = generator.output(DcganInputs.noise(42 + 13, GeneratorJudge.SAMPLES), false);
            System.out.printf("%s: %s%n", args[i], judge.score(samples).metrics());
        }
    }
}
