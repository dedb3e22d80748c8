package io.github.dl4jserving.datasets;

import java.net.URI;
import java.util.List;

/**
 * A file of a reference data set: its place under the data directory, where it can be downloaded
 * and the sha256 it must have. The checksums are those of the original publications.
 */
public enum DatasetFile {
    MNIST_TRAIN_IMAGES(
            "mnist/train-images-idx3-ubyte.gz",
            "https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz",
            "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
    MNIST_TRAIN_LABELS(
            "mnist/train-labels-idx1-ubyte.gz",
            "https://ossci-datasets.s3.amazonaws.com/mnist/train-labels-idx1-ubyte.gz",
            "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
    MNIST_TEST_IMAGES(
            "mnist/t10k-images-idx3-ubyte.gz",
            "https://ossci-datasets.s3.amazonaws.com/mnist/t10k-images-idx3-ubyte.gz",
            "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
    MNIST_TEST_LABELS(
            "mnist/t10k-labels-idx1-ubyte.gz",
            "https://ossci-datasets.s3.amazonaws.com/mnist/t10k-labels-idx1-ubyte.gz",
            "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
    BREAST_CANCER(
            "breast-cancer-wisconsin/breast-cancer-wisconsin.data",
            "https://archive.ics.uci.edu/ml/machine-learning-databases/breast-cancer-wisconsin/breast-cancer-wisconsin.data",
            "402c585309c399237740f635ef9919dc512cca12cbeb20de5e563a4593f22b64"),
    // The 10-row teaching table, copied across many repositories with small differences; this copy
    // has the rows of the data directory's README. The checksum decides: a differing copy is refused.
    SALARY(
            "salary/position_salaries.csv",
            "https://raw.githubusercontent.com/bradleylee/DATA-ANALYSIS-from-SCRATCH-with-PYTHON-/"
                    + "d39b997d4c44b2b5028dcec2d108209b4a904a0a/Position_Salaries.csv",
            "b3e6ebde184d518d324617a29b651810da5ba907df954daca29717b98b667221");

    /** The files that make up the MNIST data set, in the order training reads them. */
    public static final List<DatasetFile> MNIST =
            List.of(MNIST_TRAIN_IMAGES, MNIST_TRAIN_LABELS, MNIST_TEST_IMAGES, MNIST_TEST_LABELS);

    private final String relativePath;
    private final URI url;
    private final String sha256;

    DatasetFile(String relativePath, String url, String sha256) {
        this.relativePath = relativePath;
        this.url = URI.create(url);
        this.sha256 = sha256;
    }

    public String relativePath() {
        return relativePath;
    }

    public URI url() {
        return url;
    }

    public String sha256() {
        return sha256;
    }
}
