package io.github.dl4jserving.training.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GeneratorAverageTest {
    private static final double D = GeneratorAverage.DECAY;

    private static INDArray row(float... values) {
        return Nd4j.create(values, new long[] {1, values.length}, DataType.FLOAT);
    }

    @Test
    void isTheBiasCorrectedExponentialAverageOfTheWeightsSeen() {
        GeneratorAverage average = GeneratorAverage.empty(2);
        average.update(row(1, -2));
        assertThat(average.weights().toFloatVector())
                .as("the average of one step is that step's weights, not a tenth of them")
                .containsExactly(new float[] {1, -2}, within(1e-5f));
        average.update(row(3, 0));
        average.update(row(5, 4));
        // weights w1..w3 weigh (1-d)d^2, (1-d)d, (1-d), over 1-d^3
        double norm = 1 - D * D * D;
        double first = ((1 - D) * (D * D * 1 + D * 3 + 5)) / norm;
        double second = ((1 - D) * (D * D * -2 + D * 0 + 4)) / norm;
        assertThat(average.steps()).isEqualTo(3);
        assertThat(average.weights().getDouble(0)).isCloseTo(first, within(1e-4));
        assertThat(average.weights().getDouble(1)).isCloseTo(second, within(1e-4));
        assertThat(first)
                .as("nearly the plain mean so early, since d is close to 1")
                .isCloseTo(3, within(0.01));
    }

    @Test
    void forgetsOldWeightsAtItsDecay() {
        GeneratorAverage average = GeneratorAverage.empty(1);
        average.update(row(100));
        for (int i = 0; i < 5000; i++) {
            average.update(row(0));
        }
        // 100 * (1-d) d^5000 / (1 - d^5001)
        double expected = 100 * (1 - D) * Math.pow(D, 5000) / (1 - Math.pow(D, 5001));
        assertThat(average.weights().getDouble(0)).isCloseTo(expected, within(1e-4));
        assertThat(expected).isLessThan(0.001);
    }

    @Test
    void anEmptyAverageHasNoWeights() {
        assertThatThrownBy(() -> GeneratorAverage.empty(3).weights()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void goesOnFromItsFileOrFromTheAveragedWeightsAlone(@TempDir Path dir) throws IOException {
        GeneratorAverage average = GeneratorAverage.empty(2);
        average.update(row(1, 2));
        average.update(row(3, 5));
        Path file = dir.resolve("average.bin");
        average.write(file);
        GeneratorAverage read = GeneratorAverage.read(file, 2, 2);
        GeneratorAverage rebuilt = GeneratorAverage.ofAveraged(average.weights(), 2);
        for (GeneratorAverage a : new GeneratorAverage[] {average, read, rebuilt}) {
            a.update(row(7, -1));
        }
        assertThat(read.weights().toFloatVector())
                .containsExactly(average.weights().toFloatVector());
        assertThat(rebuilt.weights().toFloatVector())
                .containsExactly(average.weights().toFloatVector(), within(1e-5f));
        assertThatThrownBy(() -> GeneratorAverage.read(file, 2, 3))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("averages 2 weights; this generator has 3");
    }
}
