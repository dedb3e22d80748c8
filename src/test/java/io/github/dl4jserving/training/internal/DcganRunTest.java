package io.github.dl4jserving.training.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
        INDArray z = DcganInputs.noise(5, 4);
        INDArray untrained = run.generate(z);

        run.step(real, 8);
        INDArray averaged = run.generate(z);
        assertThat(maxApart(averaged, untrained))
                .as("one step moved the generator")
                .isGreaterThan(1e-3);
        assertThat(maxApart(averaged, run.generateUnaveraged(z)))
                .as("the average of one step is that step's generator: the averaged weights are the generator's")
                .isLessThan(1e-4);

        run.step(real, 8);
        run.step(real, 8);
        assertThat(maxApart(run.generate(z), run.generateUnaveraged(z)))
                .as("after three steps the average lags behind the trained weights")
                .isGreaterThan(1e-3);
        INDArray served = run.generate(z);
        assertThat(maxApart(run.finish().output(z, false), served))
                .as("the run's result is the average")
                .isZero();
    }

    private static INDArray firstLayerWeights(DcganRun run) {
        return run.finish().getLayer(0).getParam("W").dup();
    }

    @Test
    void aResumedRunGoesOnAtTheRateGivenWithAdamsMoments(@TempDir Path dir) throws Exception {
        DcganRun run = DcganRun.start(3, 1e-2, 8, DcganNetworks.Upsampling.RESIZE);
        Nd4j.getRandom().setSeed(5);
        INDArray real = Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28).muli(2).subi(1);
        run.step(real, 8);
        run.step(real, 8);
        Path saved = run.save(
                new Checkpoints(dir, Duration.ZERO, null),
                GanState.start(3, 8, 1e-2, 64, DcganNetworks.Upsampling.RESIZE, 1.0));
        GanState state = GanState.read(saved);

        INDArray before = firstLayerWeights(DcganRun.resume(saved, state, 1e-2, 8));
        DcganRun same = DcganRun.resume(saved, state, 1e-2, 8);
        assertThat(same.learningRate()).isEqualTo(1e-2);
        same.step(real, 8);
        DcganRun slower = DcganRun.resume(saved, state, 1e-3, 8);
        assertThat(slower.learningRate()).isEqualTo(1e-3);
        slower.step(real, 8);
        double ratio = firstLayerWeights(slower).sub(before).norm2Number().doubleValue()
                / firstLayerWeights(same).sub(before).norm2Number().doubleValue();
        // Adam's step is the rate times m/sqrt(v): a tenth of the rate with the same moments moves a tenth as far
        assertThat(ratio).isBetween(0.07, 0.13);
    }

    @Test
    void keepsTheDigitsTheDiscriminatorRatesHighest() {
        INDArray scores = Nd4j.create(new float[] {0.2f, 0.9f, 0.1f, 0.7f}, new long[] {4, 1}, DataType.FLOAT);
        assertThat(DcganRun.strongest(scores, 2).toFloatVector()).containsExactly(0f, 1f, 0f, 1f);
        assertThat(DcganRun.strongest(scores, 4).toFloatVector()).containsExactly(1f, 1f, 1f, 1f);
    }

    @Test
    void aTopKStepLearnsFromTheDigitsTheDiscriminatorRatesMostReal() {
        INDArray real = Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28).muli(2).subi(1);
        double[] all =
                DcganRun.start(3, 1e-2, 8, DcganNetworks.Upsampling.RESIZE).step(real, 8);
        long[] afterAll = {Nd4j.getRandom().rootState(), Nd4j.getRandom().nodeState()};
        double[] half =
                DcganRun.start(3, 1e-2, 8, DcganNetworks.Upsampling.RESIZE).step(real, 4);
        assertThat(half[0]).as("the same discriminator step").isEqualTo(all[0]);
        assertThat(new long[] {Nd4j.getRandom().rootState(), Nd4j.getRandom().nodeState()})
                .as("rating the digits draws its dropout again for the fit: the fit sees what was rated")
                .containsExactly(afterAll);
        // the generator's loss is -log D(G(z)): lowest for the digits rated most real, so the mean over
        // the kept half is below the mean over all eight (equal if the mask were ignored, above if
        // it kept the wrong half)
        assertThat(half[1]).isLessThan(all[1] - 1e-6);
    }
}
