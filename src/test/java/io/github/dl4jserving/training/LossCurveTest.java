package io.github.dl4jserving.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A long job's loss curve stays at most 400 points, spread over the whole run from its first iteration on. */
class LossCurveTest {
    @Test
    void aLongRunIsThinnedToPointsSpreadOverTheWholeRun() {
        LossCurve curve = new LossCurve(null);
        for (long i = 1; i <= 1000; i++) {
            curve.add(i, 1.0 / i);
        }
        List<double[]> points = curve.points();
        assertThat(points).hasSizeLessThanOrEqualTo(LossCurve.MAX_POINTS).hasSizeGreaterThan(LossCurve.MAX_POINTS / 4);
        assertThat(points.get(0)[0]).isEqualTo(1.0);
        for (int i = 1; i < points.size(); i++) {
            // After two halvings (a stride of 4) no gap is wider than 6 iterations.
            assertThat(points.get(i)[0] - points.get(i - 1)[0]).isBetween(1.0, 6.0);
        }
        assertThat(points.get(points.size() - 1)[0]).isEqualTo(1000.0);
        assertThat(points.get(points.size() - 1)[1]).isEqualTo(1.0 / points.get(points.size() - 1)[0]);
    }

    @Test
    void aRestoredCurveContinues() {
        LossCurve curve = new LossCurve(List.of(new double[] {1, 0.9}, new double[] {2, 0.8}));
        curve.add(3, 0.7);
        assertThat(curve.points()).extracting(p -> p[0]).containsExactly(1.0, 2.0, 3.0);
    }
}
