package io.github.dl4jserving.training.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class FitLoopTest {
    /** A one-layer regression network, for tests that need any small one. */
    static MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1)
                .updater(new Sgd(0.1))
                .list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(2)
                        .nOut(1)
                        .activation(Activation.IDENTITY)
                        .build())
                .build());
        net.init();
        return net;
    }

    private static DataSet batch() {
        return new DataSet(Nd4j.create(new float[][] {{1, 2}, {3, 4}}), Nd4j.create(new float[][] {{1}, {2}}));
    }

    /** Records what the loop reports; asks to cancel once {@code cancelAfter} iterations were seen (0: never). */
    private static final class Seen implements TrainingProgress {
        final List<String> events = new ArrayList<>();
        final List<Double> fractions = new ArrayList<>();
        final int cancelAfter;

        Seen(int cancelAfter) {
            this.cancelAfter = cancelAfter;
        }

        @Override
        public void iteration(int epoch, long iteration, double loss, double fraction) {
            events.add("iteration " + epoch + "." + iteration);
            fractions.add(fraction);
        }

        @Override
        public void epoch(int epoch, double trainingLoss, Map<String, Double> validation) {
            events.add("epoch " + epoch + " " + validation.keySet());
        }

        @Override
        public boolean cancelRequested() {
            return cancelAfter > 0 && fractions.size() >= cancelAfter;
        }
    }

    @Test
    void epochsOfBatchesReportEveryIterationAndTheEpochsValidationAsks() {
        Seen seen = new Seen(0);
        List<String> calls = new ArrayList<>();
        FitLoop loop = FitLoop.of(3, 5, 2); // 5 examples in batches of 2: 3 batches per epoch
        assertThat(loop.batchesPerEpoch()).isEqualTo(3);

        loop.run(
                network(),
                seen,
                epoch -> calls.add("new epoch " + epoch),
                b -> {
                    calls.add("batch " + b);
                    return batch();
                },
                (epoch, loss) -> epoch == 2 ? null : Map.of("loss", loss));

        assertThat(seen.events)
                .containsExactly(
                        "iteration 1.1",
                        "iteration 1.2",
                        "iteration 1.3",
                        "epoch 1 [loss]",
                        "iteration 2.4",
                        "iteration 2.5",
                        "iteration 2.6", // epoch 2 reports nothing
                        "iteration 3.7",
                        "iteration 3.8",
                        "iteration 3.9",
                        "epoch 3 [loss]");
        assertThat(seen.fractions.get(0)).isEqualTo(1 / 9.0);
        assertThat(seen.fractions.get(8)).isEqualTo(1.0);
        assertThat(calls.subList(0, 4)).containsExactly("new epoch 1", "batch 0", "batch 1", "batch 2");
    }

    @Test
    void aCancelStopsBeforeTheNextBatchAndClosesTheNetwork() {
        Seen seen = new Seen(4);
        MultiLayerNetwork net = network();
        FitLoop loop = new FitLoop(10, 3);

        assertThatThrownBy(() -> loop.run(net, seen, epoch -> {}, b -> batch(), (epoch, loss) -> Map.of()))
                .isInstanceOf(TrainingCancelledException.class);
        assertThat(seen.fractions).hasSize(4);
        assertThat(net.params().wasClosed()).isTrue();
    }
}
