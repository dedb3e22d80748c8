package io.github.dl4jserving.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.dl4jserving.PhotoSet;
import io.github.dl4jserving.ShippedModels;
import io.github.dl4jserving.TestData;
import io.github.dl4jserving.datasets.MnistIdxReader;
import io.github.dl4jserving.datasets.NoDigitFoundException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The project's own phone photos ({@link PhotoSet}: 13 conditions, 16 photos each, a quarter of them
 * 12 MP JPEGs) classified by the shipped mnist-mlp through the service's decode-and-prepare path.
 * The digits are MNIST test digits that the network reads correctly as its own 28x28 input, so the
 * set measures what the photo does to the digit, not the network's own errors.
 */
class PhotoSetTest {
    static final int PER_CONDITION = 16;
    static final long SEED = 27;

    private final InferenceService inference = ShippedModels.inference();
    private final MnistIdxReader.IdxImages mnist = TestData.mnistTestImages();
    private final int[] labels = TestData.mnistTestLabels();

    @Test
    void readsAtLeast97PercentOfThePhotosAndNineInTenOfEachCondition() {
        List<PhotoSet.Spec> specs = PhotoSet.specs(PER_CONDITION, digitsTheNetworkReads(PER_CONDITION * 13), SEED);
        Map<PhotoSet.Spec, String> answers = new ConcurrentHashMap<>();
        specs.parallelStream().forEach(s -> answers.put(s, classify(PhotoSet.jpeg(s, mnist))));

        Map<PhotoSet.Condition, int[]> byCondition = new EnumMap<>(PhotoSet.Condition.class);
        List<String> wrong = new ArrayList<>();
        int correct = 0;
        for (PhotoSet.Spec s : specs) {
            int[] counts = byCondition.computeIfAbsent(s.condition(), c -> new int[2]);
            counts[1]++;
            String expected = Integer.toString(labels[s.digit()]);
            if (answers.get(s).equals(expected)) {
                counts[0]++;
                correct++;
            } else {
                wrong.add(s.name() + " (#" + s.digit() + ": " + expected + ", read " + answers.get(s) + ")");
            }
        }
        StringBuilder table = new StringBuilder("| condition | read correctly |\n|---|---:|\n");
        byCondition.forEach((c, n) -> table.append("| ")
                .append(c.name().toLowerCase())
                .append(" | ")
                .append(n[0])
                .append("/")
                .append(n[1])
                .append(" |\n"));
        table.append("| all | ")
                .append(correct)
                .append("/")
                .append(specs.size())
                .append(" |\n");
        System.out.println("PhotoSetTest:\n" + table + "wrong: " + wrong);

        assertThat(correct / (double) specs.size())
                .as(table + "wrong: " + wrong)
                .isGreaterThanOrEqualTo(0.97);
        byCondition.forEach(
                (c, n) -> assertThat(n[0] / (double) n[1]).as(c + "\n" + table).isGreaterThanOrEqualTo(0.9));
    }

    @Test
    void aPhotoWithoutADigitIsAnsweredAsSuchNotAsAConfidentDigit() {
        List<PhotoSet.Spec> blank = PhotoSet.specs(2, null, SEED + 1).stream()
                .filter(s -> s.condition() != PhotoSet.Condition.SMALL_DIGIT
                        && s.condition() != PhotoSet.Condition.LARGE_DIGIT
                        && s.condition() != PhotoSet.Condition.INK_COLOURS)
                .toList();
        Map<String, String> answered = new ConcurrentHashMap<>();
        blank.parallelStream().forEach(s -> {
            Throwable t = catchThrowable(() -> classify(PhotoSet.jpeg(s, mnist)));
            if (!(t instanceof NoDigitFoundException)) {
                answered.put(s.name(), t == null ? "a digit" : t.toString());
            }
        });
        assertThat(answered)
                .as("blank photos answered with something else than 'no digit'")
                .isEmpty();
    }

    private String classify(byte[] jpeg) {
        return inference
                .classifyImages("mnist-mlp", null, List.of(ImageInput.file(jpeg)), 1)
                .predictions()
                .get(0)
                .label();
    }

    /** {@code n} MNIST test indices, in a seeded order, whose 28x28 pixels the network labels right. */
    private int[] digitsTheNetworkReads(int n) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new Random(SEED));
        List<Integer> candidates = order.subList(0, 2 * n);
        INDArray input = Nd4j.create(candidates.size(), 784);
        for (int r = 0; r < candidates.size(); r++) {
            byte[] px = mnist.pixels()[candidates.get(r)];
            for (int p = 0; p < 784; p++) {
                input.putScalar(r, p, (px[p] & 0xFF) / 255.0);
            }
        }
        INDArray out = ShippedModels.registry().get("mnist-mlp", null).network().output(input);
        List<Integer> kept = new ArrayList<>();
        for (int r = 0; r < candidates.size() && kept.size() < n; r++) {
            if (out.getRow(r).argMax().getInt(0) == labels[candidates.get(r)]) {
                kept.add(candidates.get(r));
            }
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }
}
