package io.github.dl4jserving.training.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/** Reused batch arrays hold the rows asked for, as fresh ones do, batch after batch and for a smaller last batch. */
class MnistSamplesTest {

    @Test
    void reusedBatchesEqualFreshOnes() {
        Random random = new Random(7);
        float[][] images = new float[50][12];
        int[] labels = new int[50];
        for (int i = 0; i < 50; i++) {
            for (int p = 0; p < 12; p++) {
                images[i][p] = random.nextFloat();
            }
            labels[i] = random.nextInt(3);
        }
        MnistSamples.Batches batches = new MnistSamples.Batches(images, labels, 3);
        for (int epoch = 0; epoch < 2; epoch++) {
            int[] idx = MnistSamples.shuffled(50, random);
            DataSet first = null;
            for (int from = 0; from < 50; from += 16) {
                int to = Math.min(50, from + 16);
                DataSet reused = batches.batch(idx, from, to);
                DataSet fresh = MnistSamples.batch(images, labels, idx, from, to, 3);
                assertThat(reused.getFeatures()).as("features %d..%d", from, to).isEqualTo(fresh.getFeatures());
                assertThat(reused.getLabels()).as("labels %d..%d", from, to).isEqualTo(fresh.getLabels());
                for (int r = 0; r < to - from; r++) {
                    assertThat(reused.getFeatures().getRow(r).toFloatVector()).isEqualTo(images[idx[from + r]]);
                    float[] oneHot = new float[3];
                    oneHot[labels[idx[from + r]]] = 1f;
                    assertThat(reused.getLabels().getRow(r).toFloatVector()).isEqualTo(oneHot);
                }
                if (first == null) {
                    first = reused;
                } else if (to - from == 16) {
                    assertThat(reused.getFeatures()).isSameAs(first.getFeatures()); // no new native array
                }
            }
        }
    }
}
