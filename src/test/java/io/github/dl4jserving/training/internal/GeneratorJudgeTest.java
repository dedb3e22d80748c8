package io.github.dl4jserving.training.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.dl4jserving.TestData;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The shipped judge against real digits, noise, a collapsed generator and a distance known in closed form. */
class GeneratorJudgeTest {
    private static GeneratorJudge judge;

    @BeforeAll
    static void load() throws Exception {
        judge = GeneratorJudge.load(TestData.dataDirectory());
    }

    private static INDArray testDigits(int from, int n) {
        return GeneratorJudge.images(
                TestData.mnistTestImages(), IntStream.range(from, from + n).toArray());
    }

    @Test
    void theJudgeReadsTheTestDigits() {
        int[] labels = Arrays.copyOf(TestData.mnistTestLabels(), 2000);
        double accuracy = judge.accuracy(testDigits(0, labels.length), labels);
        assertThat(accuracy).as("accuracy on the first 2,000 test digits").isGreaterThan(0.98);
    }

    @Test
    void realDigitsScoreHighAndClose() {
        GeneratorJudge.Scores real = judge.score(testDigits(0, 2000));
        assertThat(real.inceptionScore()).isGreaterThan(9.0);
        assertThat(real.frechetDistance())
                .as("a sample of the reference itself")
                .isBetween(0.0, 10.0);
        assertThat(real.largestClassShare()).isLessThan(0.15);
        assertThat(Arrays.stream(real.classShares()).sum()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void noiseScoresLowAndFar() {
        Random random = new Random(1);
        float[] px = new float[1000 * 784];
        for (int i = 0; i < px.length; i++) {
            px[i] = random.nextFloat() * 2 - 1;
        }
        GeneratorJudge.Scores noise = judge.score(Nd4j.create(px, new long[] {1000, 1, 28, 28}, DataType.FLOAT));
        assertThat(noise.inceptionScore()).isLessThan(2.0);
        GeneratorJudge.Scores real = judge.score(testDigits(2000, 1000));
        assertThat(noise.frechetDistance()).isGreaterThan(20 * Math.max(1, real.frechetDistance()));
    }

    @Test
    void oneDigitOverAndOverIsModeCollapse() {
        INDArray one = testDigits(2, 1); // a "1"
        GeneratorJudge.Scores collapsed = judge.score(Nd4j.repeat(one, 1000).reshape(1000, 1, 28, 28));
        assertThat(collapsed.inceptionScore()).isCloseTo(1.0, within(0.01));
        assertThat(collapsed.classShares()[1]).isCloseTo(1.0, within(1e-9));
        assertThat(collapsed.frechetDistance()).isGreaterThan(10);
    }

    @Test
    void theFrechetDistanceMatchesTheClosedForm() {
        // Means 0 and (1, 2, 2); covariances I and 4I in 3 dimensions: 9 + 3 + 12 - 2 * 3 * 2 = 12.
        INDArray m1 = Nd4j.zeros(DataType.DOUBLE, 3);
        INDArray m2 = Nd4j.createFromArray(1.0, 2.0, 2.0);
        INDArray c1 = Nd4j.eye(3).castTo(DataType.DOUBLE);
        INDArray c2 = c1.mul(4);
        assertThat(GeneratorJudge.frechetDistance(m1, c1, m2, c2)).isCloseTo(12.0, within(1e-9));
        assertThat(GeneratorJudge.frechetDistance(m2, c2, m2, c2)).isCloseTo(0.0, within(1e-9));
        // Not diagonal: C1 = [[2, 1], [1, 2]], C2 = I: tr(C1) + tr(C2) - 2 tr(C1^1/2) = 4 + 2 - 2 (sqrt 3 + 1).
        INDArray d1 = Nd4j.createFromArray(new double[][] {{2, 1}, {1, 2}});
        INDArray d2 = Nd4j.eye(2).castTo(DataType.DOUBLE);
        INDArray zero = Nd4j.zeros(DataType.DOUBLE, 2);
        assertThat(GeneratorJudge.frechetDistance(zero, d1, zero, d2))
                .isCloseTo(6 - 2 * (Math.sqrt(3) + 1), within(1e-9));
    }
}
