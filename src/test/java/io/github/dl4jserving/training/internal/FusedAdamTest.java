package io.github.dl4jserving.training.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.linalg.schedule.FixedSchedule;

/** The fused loop computes DL4J's Adam: the same updates and moments, step after step, from views with offsets. */
class FusedAdamTest {

    @Test
    void givesDl4jsAdamUpdatesAndMomentsOnViewsOfALargerArray() {
        int n = 10_000;
        // both updaters work on the second half of a larger state array, as a layer's block does
        INDArray dl4jState = Nd4j.zeros(DataType.FLOAT, 1, 4 * n);
        INDArray fusedState = Nd4j.zeros(DataType.FLOAT, 1, 4 * n);
        GradientUpdater<?> dl4j = new Adam(new FixedSchedule(1e-3)).instantiate(secondHalf(dl4jState), true);
        GradientUpdater<?> fused = new FusedAdam(new FixedSchedule(1e-3)).instantiate(secondHalf(fusedState), true);
        Nd4j.getRandom().setSeed(3);
        for (int iteration = 0; iteration < 20; iteration++) {
            INDArray gradient = Nd4j.randn(DataType.FLOAT, 1, n).muli(0.1);
            INDArray a = gradient.dup();
            INDArray b = gradient.dup();
            dl4j.applyUpdater(a, iteration, 0);
            fused.applyUpdater(b, iteration, 0);
            // float rounding: measured 4e-6 to 1.1e-5 of the largest update
            assertThat(relative(b, a)).as("update at iteration %d", iteration).isLessThan(1e-4);
        }
        assertThat(relative(fusedState, dl4jState)).as("the moments").isLessThan(1e-6);
    }

    @Test
    void momentsThatDecayTowardsZeroNeverTurnSubnormal() {
        INDArray state = Nd4j.zeros(DataType.FLOAT, 1, 2 * 100);
        GradientUpdater<?> fused = new FusedAdam(new FixedSchedule(1e-3)).instantiate(state, true);
        fused.applyUpdater(Nd4j.valueArrayOf(new long[] {1, 100}, 1e-20f, DataType.FLOAT), 0, 0);
        // then no gradient: m decays by 0.9 a step, from 1e-21 to about 1e-40 (subnormal) in 415 steps
        for (int iteration = 1; iteration < 416; iteration++) {
            fused.applyUpdater(Nd4j.zeros(DataType.FLOAT, 1, 100), iteration, 0);
        }
        for (float moment : state.data().asFloat()) {
            assertThat(Math.abs(moment))
                    .satisfiesAnyOf(
                            x -> assertThat(x).isZero(),
                            x -> assertThat(x).isBetween(Float.MIN_NORMAL, 1e-24f)); // rounded to 2^-83's multiples
        }
    }

    @Test
    void aTrainedNetworkIsStoredWithDl4jsOwnAdam() {
        MultiLayerNetwork net =
                new MultiLayerNetwork(new MnistMlpTrainer().configuration(42, 1e-3, "adam", 1e-5, 0.2, 10));
        net.init();
        assertThat(((BaseLayer) net.getLayerWiseConfigurations().getConf(0).getLayer()).getIUpdater())
                .isInstanceOf(FusedAdam.class);
        new TrainedModel(net, null, null, null); // stores what DL4J reads: its Adam, its L2
        IUpdater stored =
                ((BaseLayer) net.getLayerWiseConfigurations().getConf(0).getLayer()).getIUpdater();
        assertThat(stored.getClass()).isEqualTo(Adam.class);
        assertThat(net.getLayerWiseConfigurations().toJson()).doesNotContain("FusedAdam");
        assertThat(MultiLayerConfiguration.fromJson(
                        net.getLayerWiseConfigurations().toJson()))
                .isEqualTo(net.getLayerWiseConfigurations());
    }

    private static INDArray secondHalf(INDArray state) {
        long n = state.length();
        return state.get(NDArrayIndex.point(0), NDArrayIndex.interval(n / 2, n)).reshape(1, n / 2);
    }

    private static double relative(INDArray actual, INDArray expected) {
        return Transforms.abs(actual.sub(expected)).maxNumber().doubleValue()
                / expected.amaxNumber().doubleValue();
    }
}
