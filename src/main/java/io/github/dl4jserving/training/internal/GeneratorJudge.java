package io.github.dl4jserving.training.internal;

import io.github.dl4jserving.datasets.DataDirectory;
import io.github.dl4jserving.datasets.DatasetFile;
import io.github.dl4jserving.datasets.MnistIdxReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores image generators with an MNIST classifier of the project's own, as the Inception network
 * scores ImageNet generators: a small convnet (two 5x5 convolutions with max pooling, a dense layer
 * of 128 and softmax), trained by {@link JudgeTool} and shipped as a resource. Not {@code mnist-mlp},
 * which calls obvious blobs an "8" with certainty.
 *
 * <ul>
 *   <li><b>Inception Score</b>: {@code exp(E_x KL(p(y|x) || p(y)))} over all samples in one split;
 *       10 for sharp digits spread evenly over the classes, 1 for noise.
 *   <li><b>Fréchet distance</b> between Gaussians fitted to the dense layer's 128 features of the
 *       samples and of the 10,000 MNIST test digits.
 *   <li>The <b>class histogram</b> of the samples, which shows mode collapse.
 * </ul>
 *
 * <p>Images are {@code [n, 1, 28, 28]} in [-1, 1], the generator's tanh range.
 */
public final class GeneratorJudge {
    private static final Logger log = LoggerFactory.getLogger(GeneratorJudge.class);
    static final String RESOURCE = "mnist-judge.zip";
    /** The feature layer: the dense layer's output. */
    private static final int FEATURE_LAYER = 4;

    private static final int CHUNK = 500;

    /**
     * Samples scored after each epoch and at the end of a full run: the same number throughout a run,
     * since the Fréchet distance's bias depends on it.
     */
    static final int SAMPLES = 2000;
    /**
     * How many generated digits the judge scores for a run on {@code examples} of {@code trainCount}
     * images: 2,000 on the full set; on fewer (a quick job), twice the images, 256 to 1,000, since
     * generating and judging 1,000 digits costs more than a short epoch.
     */
    static int samplesFor(int examples, int trainCount) {
        return examples >= trainCount ? SAMPLES : Math.min(SAMPLES / 2, Math.max(256, 2 * examples));
    }

    private final MultiLayerNetwork network;
    private final INDArray testMean;
    private final INDArray testCovariance;

    private GeneratorJudge(MultiLayerNetwork network, INDArray testImages) {
        this.network = network;
        INDArray features = features(testImages);
        this.testMean = features.mean(0);
        this.testCovariance = covariance(features, testMean);
    }

    private GeneratorJudge(MultiLayerNetwork network, TestStatistics statistics) {
        this.network = network;
        this.testMean = statistics.mean();
        this.testCovariance = statistics.covariance();
    }

    /** The shipped judge, with the statistics of the MNIST test digits in {@code data}. */
    public static GeneratorJudge load(DataDirectory data) throws IOException {
        return forTestImages(data.resolve(DatasetFile.MNIST_TEST_IMAGES));
    }

    /** The shipped judge, with the statistics of {@code testImages}. */
    static GeneratorJudge of(MnistIdxReader.IdxImages testImages) throws IOException {
        return new GeneratorJudge(shipped(), images(testImages, all(testImages.count())));
    }

    private static final Map<String, GeneratorJudge> BY_TEST_FILE = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The shipped judge with the statistics of the test images in {@code file} (IDX, gzipped or
     * not), made once per file content. Their features cost a minute of one core, so for the MNIST
     * test file the statistics are shipped beside the judge ({@link TestStatistics}) and only another
     * file's are computed.
     */
    static GeneratorJudge forTestImages(Path file) throws IOException {
        String fileSha256 = DataDirectory.sha256(file);
        GeneratorJudge judge = BY_TEST_FILE.get(fileSha256);
        if (judge == null) {
            byte[] network = shippedBytes(RESOURCE);
            Optional<TestStatistics> shipped = TestStatistics.shipped(DataDirectory.sha256(network), fileSha256);
            judge = shipped.isPresent()
                    ? new GeneratorJudge(restore(network), shipped.get())
                    : of(MnistIdxReader.readImages(file));
            BY_TEST_FILE.put(fileSha256, judge);
        }
        return judge;
    }

    /** The test digits' features as the judge sees them: the statistics every Fréchet distance compares with. */
    TestStatistics testStatistics() {
        return new TestStatistics(testMean, testCovariance);
    }

    static MultiLayerNetwork shipped() throws IOException {
        return restore(shippedBytes(RESOURCE));
    }

    private static MultiLayerNetwork restore(byte[] zip) throws IOException {
        return ModelSerializer.restoreMultiLayerNetwork(new java.io.ByteArrayInputStream(zip), false);
    }

    /** A resource beside this class, or null if it is not there. */
    static byte[] shippedBytes(String resource) throws IOException {
        try (InputStream in = GeneratorJudge.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("The judge's " + resource + " is missing from the build.");
            }
            return in.readAllBytes();
        }
    }

    /** Its accuracy on labelled images, for the record. */
    synchronized double accuracy(INDArray images, int[] labels) {
        INDArray predicted = pass(images)[1].argMax(1);
        long right = IntStream.range(0, labels.length)
                .filter(i -> predicted.getInt(i) == labels[i])
                .count();
        return right / (double) labels.length;
    }

    /** The scores of {@code images}, which should number 1,000 or more for a stable estimate. */
    public synchronized Scores score(INDArray images) {
        INDArray[] pass = pass(images);
        INDArray features = pass[0];
        INDArray probabilities = pass[1];
        double n = images.size(0);
        INDArray marginal = probabilities.mean(0);
        INDArray eps = Nd4j.scalar(DataType.DOUBLE, 1e-12);
        INDArray logP = Transforms.log(probabilities.add(eps), false);
        INDArray logMarginal = Transforms.log(marginal.add(eps), false);
        double kl =
                probabilities.mul(logP.subRowVector(logMarginal)).sumNumber().doubleValue() / n;
        double[] shares = new double[10];
        INDArray argMax = probabilities.argMax(1);
        for (int i = 0; i < n; i++) {
            shares[argMax.getInt(i)] += 1 / n;
        }
        INDArray mean = features.mean(0);
        double fid = frechetDistance(mean, covariance(features, mean), testMean, testCovariance);
        return new Scores(Math.exp(kl), fid, shares);
    }

    /** The scores: Inception Score, Fréchet distance, and the share of each class 0-9. */
    public record Scores(double inceptionScore, double frechetDistance, double[] classShares) {
        public double largestClassShare() {
            return java.util.Arrays.stream(classShares).max().orElse(0);
        }

        /** As {@code model.json} metrics. */
        public Map<String, Double> metrics() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("inception_score", inceptionScore);
            m.put("frechet_distance", frechetDistance);
            m.put("largest_class_share", largestClassShare());
            for (int c = 0; c < classShares.length; c++) {
                m.put("class_share_" + c, classShares[c]);
            }
            return m;
        }
    }

    private INDArray features(INDArray images) {
        return pass(images)[0];
    }

    /**
     * The features and class probabilities of {@code images}, in chunks: im2col of one pass over
     * 10,000 images would take gigabytes.
     */
    private INDArray[] pass(INDArray images) {
        long n = images.size(0);
        List<INDArray> features = new ArrayList<>();
        List<INDArray> probabilities = new ArrayList<>();
        for (long from = 0; from < n; from += CHUNK) {
            INDArray chunk = images.get(NDArrayIndex.interval(from, Math.min(n, from + CHUNK)));
            List<INDArray> activations = network.feedForward(chunk, false);
            features.add(activations.get(FEATURE_LAYER + 1).castTo(DataType.DOUBLE));
            probabilities.add(activations.get(FEATURE_LAYER + 2).castTo(DataType.DOUBLE));
        }
        return new INDArray[] {
            Nd4j.concat(0, features.toArray(INDArray[]::new)), Nd4j.concat(0, probabilities.toArray(INDArray[]::new))
        };
    }

    private static INDArray covariance(INDArray features, INDArray mean) {
        INDArray centred = features.subRowVector(mean);
        return centred.transpose().mmul(centred).divi(features.size(0) - 1);
    }

    /**
     * {@code |m1 - m2|^2 + tr(C1 + C2 - 2 (C1 C2)^1/2)}, with {@code tr (C1 C2)^1/2} as the sum of the
     * square roots of the eigenvalues of the symmetric {@code C1^1/2 C2 C1^1/2}.
     */
    static double frechetDistance(INDArray m1, INDArray c1, INDArray m2, INDArray c2) {
        double meanTerm = m1.sub(m2).norm2Number().doubleValue();
        INDArray root = symmetricSqrt(c1);
        INDArray product = root.mmul(c2).mmul(root);
        product = product.add(product.transpose()).muli(0.5);
        INDArray eigen = Eigen.symmetricGeneralizedEigenvalues(product.dup(), false);
        double traceRoot = 0;
        for (long i = 0; i < eigen.length(); i++) {
            traceRoot += Math.sqrt(Math.max(0, eigen.getDouble(i)));
        }
        return meanTerm * meanTerm + trace(c1) + trace(c2) - 2 * traceRoot;
    }

    private static double trace(INDArray square) {
        return Nd4j.diag(square).sumNumber().doubleValue();
    }

    private static INDArray symmetricSqrt(INDArray c) {
        INDArray vectors = c.dup();
        INDArray values = Eigen.symmetricGeneralizedEigenvalues(vectors, true);
        INDArray roots = Transforms.sqrt(Transforms.max(values.dup(), 0.0), false);
        return vectors.mulRowVector(roots).mmul(vectors.transpose());
    }

    static INDArray images(MnistIdxReader.IdxImages images, int[] idx) {
        return DcganInputs.realBatch(images, idx, 0, idx.length);
    }

    private static int[] all(int n) {
        return IntStream.range(0, n).toArray();
    }
}
