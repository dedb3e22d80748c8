package io.github.dl4jserving.datasets.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The background estimate's filters against their definitions, and what an opening keeps. */
class BackgroundTest {
    @Test
    void theLineFilterIsTheMinimumOrMaximumOverTheEvenlyShrunkWindow() {
        Random random = new Random(5);
        for (int n : new int[] {1, 2, 3, 7, 20, 64, 129}) {
            for (int r : new int[] {1, 2, 5, 31, 200}) {
                float[] in = new float[n];
                for (int i = 0; i < n; i++) {
                    in[i] = random.nextFloat();
                }
                for (boolean max : new boolean[] {false, true}) {
                    float[] out = new float[n];
                    Background.line(in, n, r, max, out, new float[n], new float[n]);
                    for (int i = 0; i < n; i++) {
                        int d = Math.min(r, Math.min(i, n - 1 - i));
                        float want = in[i - d];
                        for (int j = i - d; j <= i + d; j++) {
                            want = max ? Math.max(want, in[j]) : Math.min(want, in[j]);
                        }
                        assertThat(out[i])
                                .as("n=%d r=%d i=%d max=%s", n, r, i, max)
                                .isEqualTo(want);
                    }
                }
            }
        }
    }

    @Test
    void anOpeningRemovesAStrokeAndKeepsTheLightFallingToTheEdge() {
        int w = 100;
        int h = 60;
        float[] ink = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                ink[y * w + x] = 0.3f * x / w + (x >= 40 && x < 44 ? 0.5f : 0f); // a gradient and a stroke
            }
        }
        float[] bg = Background.opening(ink, w, h, 5, new float[w * h], new float[w * h]);
        for (int x : new int[] {0, 20, 41, 70, 99}) {
            assertThat(bg[30 * w + x])
                    .as("x=%d", x)
                    .isCloseTo(0.3f * x / w, org.assertj.core.data.Offset.offset(0.02f));
        }
    }
}
