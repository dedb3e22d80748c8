package io.github.dl4jserving.training.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class DcganRunTest {
    private static double maxApart(INDArray a, INDArray b) {
        return Transforms.abs(a.sub(b)).maxNumber().doubleValue();
    }

    @Test
    void servesTheAverageOfTheGeneratorsTrainedWeights() {
        DcganRun run = DcganRun.start(3, 1e-2, 8, DcganNetworks.Upsampling.RESIZE);
        Nd4j.getRandom().setSeed(5);
        INDArray real = Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28).muli(2).subi(1);
        INDArray z = DcganRun.noise(5, 4);
        INDArray untrained = run.generate(z);

        run.step(real);
        INDArray averaged = run.generate(z);
        assertThat(maxApart(averaged, untrained))
                .as("one step moved the generator")
                .isGreaterThan(1e-3);
        assertThat(maxApart(averaged, run.generateUnaveraged(z)))
                .as("the average of one step is that step's generator: the averaged weights are the generator's")
                .isLessThan(1e-4);

        run.step(real);
        run.step(real);
        assertThat(maxApart(run.generate(z), run.generateUnaveraged(z)))
                .as("after three steps the average lags behind the trained weights")
                .isGreaterThan(1e-3);
        INDArray served = run.generate(z);
        assertThat(maxApart(run.finish().output(z, false), served))
                .as("the run's result is the average")
                .isZero();
    }
}
