package io.github.dl4jserving.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The frames of a latent walk, and the 422 problems of a walk that cannot be taken. */
class LatentWalkTest {
    private static final int DIM = 100;

    private static List<Double> vector(double value) {
        return new ArrayList<>(Collections.nCopies(DIM, value));
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * (double) x;
        }
        return Math.sqrt(s);
    }

    @Test
    void aWalkBetweenTwoSeedsStartsAndEndsAtTheirFirstVectorsAndKeepsTheirLength() {
        List<float[]> frames = LatentWalk.frames(Map.of("from", 3, "to", 8, "steps", 5), DIM, 256);
        assertThat(frames).hasSize(5);
        float[] from = GeneratorAnswers.latent(new Random(3), DIM);
        float[] to = GeneratorAnswers.latent(new Random(8), DIM);
        for (int i = 0; i < DIM; i++) {
            assertThat(frames.get(0)[i]).isCloseTo(from[i], within(1e-5f));
            assertThat(frames.get(4)[i]).isCloseTo(to[i], within(1e-5f));
        }
        // Two Gaussian vectors of 100 are nearly orthogonal and of similar length: the middle of the
        // great circle stays about as long, where a straight line would shrink to about 0.71.
        double ends = (norm(from) + norm(to)) / 2;
        assertThat(norm(frames.get(2)) / ends).isBetween(0.9, 1.1);
        assertThat(LatentWalk.frames(Map.of("from", 3, "to", 8), DIM, 256))
                .as("8 frames by default")
                .hasSize(8);
    }

    @Test
    void vectorsInTheSameOrOppositeDirectionFollowAStraightLine() {
        List<float[]> same = LatentWalk.frames(Map.of("from", vector(1), "to", vector(3), "steps", 3), DIM, 256);
        assertThat(same.get(1)[0]).isCloseTo(2f, within(1e-6f));
        List<float[]> opposite = LatentWalk.frames(Map.of("from", vector(1), "to", vector(-1), "steps", 3), DIM, 256);
        assertThat(opposite.get(1)[0]).isCloseTo(0f, within(1e-6f));
        List<float[]> fromZero = LatentWalk.frames(Map.of("from", vector(0), "to", vector(2), "steps", 3), DIM, 256);
        assertThat(fromZero.get(1)[7]).isCloseTo(1f, within(1e-6f));
    }

    @Test
    void aWalkThatCannotBeTakenNamesItsField() {
        assertField("a walk", "interpolate");
        assertField(Map.of("from", 1, "to", 2, "speed", 3), "interpolate.speed");
        assertField(Map.of("to", 2), "interpolate.from");
        assertField(Map.of("from", 1, "to", List.of(1.0, 2.0)), "interpolate.to");
        assertField(Map.of("from", 1, "to", 2, "steps", 1), "interpolate.steps");
        assertField(Map.of("from", 1, "to", 2, "steps", 257), "interpolate.steps");
        assertField(Map.of("from", 1, "to", 2, "steps", 2.5), "interpolate.steps");
        List<Object> bad = new ArrayList<>(vector(0));
        bad.set(4, "x");
        assertField(Map.of("from", bad, "to", 2), "interpolate.from[4]");
    }

    private static void assertField(Object spec, String field) {
        assertThatThrownBy(() -> LatentWalk.frames(spec, DIM, 256))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo(field));
    }
}
