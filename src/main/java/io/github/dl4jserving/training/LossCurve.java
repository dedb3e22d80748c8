package io.github.dl4jserving.training;

import java.util.ArrayList;
import java.util.List;

/**
 * A job's training loss as at most {@value #MAX_POINTS} (iteration, loss) points: every iteration
 * at first, then, each time the limit is passed, every other point is dropped and every other later
 * iteration kept. Not thread-safe: the job's lock guards it.
 */
final class LossCurve {
    static final int MAX_POINTS = 400;

    private final List<double[]> points = new ArrayList<>();
    private int stride = 1;

    /** A curve that continues {@code restored} (null: none), read back from a job's record. */
    LossCurve(List<double[]> restored) {
        if (restored != null) {
            points.addAll(restored);
        }
    }

    void add(long iteration, double loss) {
        if (iteration % stride != 0) {
            return;
        }
        points.add(new double[] {iteration, loss});
        if (points.size() > MAX_POINTS) {
            for (int i = points.size() - 1; i > 0; i -= 2) {
                points.remove(i);
            }
            stride *= 2;
        }
    }

    List<double[]> points() {
        return List.copyOf(points);
    }
}
