package io.github.dl4jserving.training.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The flush as documented: tiny values to zero, nothing subnormal, everything from 2^-35 up untouched. */
class SubnormalsTest {

    @Test
    void flushesTinyValuesLeavesOrdinaryOnesAndNeverReturnsASubnormal() {
        assertThat(Subnormals.flush(Float.MIN_VALUE)).isZero();
        assertThat(Subnormals.flush(-1e-40f)).isZero();
        assertThat(Subnormals.flush(1e-30f)).isZero();
        assertThat(Subnormals.flush(0x1p-83f)).isEqualTo(0x1p-83f);
        Random random = new Random(11);
        for (int i = 0; i < 1_000_000; i++) {
            float sign = random.nextBoolean() ? 1 : -1;
            float tiny = sign * (float) Math.pow(2, -150 + 120 * random.nextDouble());
            float flushed = Subnormals.flush(tiny);
            assertThat(flushed == 0 || Math.abs(flushed) >= Float.MIN_NORMAL)
                    .as("flush(%s) = %s", tiny, flushed)
                    .isTrue();
            float ordinary = sign * (float) Math.pow(2, -35 + 60 * random.nextDouble());
            assertThat(Subnormals.flush(ordinary)).isEqualTo(ordinary);
        }
    }
}
