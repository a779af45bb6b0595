package io.sparkcae.core.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Expected values are numpy.quantile(v, q) (default method "linear"), also derived by hand below. */
class QuantileTest {
    // sorted: 1, 2.5, 3, 3, 7, 10; position h = 5q
    private static final double[] V = {7, 1, 3, 3, 10, 2.5};

    @Test
    void matchesNumpyLinear() {
        assertEquals(1.0, Quantile.of(V, 0));
        assertEquals(1.75, Quantile.of(V, 0.1));    // h=0.5:  1 + 0.5 * 1.5
        assertEquals(2.625, Quantile.of(V, 0.25));  // h=1.25: 2.5 + 0.25 * 0.5
        assertEquals(3.0, Quantile.of(V, 0.5));     // h=2.5:  3 + 0.5 * 0
        assertEquals(8.5, Quantile.of(V, 0.9));     // h=4.5:  7 + 0.5 * 3
        // h=4.95: numpy lerps from the upper end, 10 - 3 * 0.05, and prints 9.850000000000001
        assertEquals(9.850000000000001, Quantile.of(V, 0.99));
        assertEquals(10.0, Quantile.of(V, 1));
        assertEquals(0.24, Quantile.of(new double[]{0.3, 0.1, 0.2}, 0.7), 1e-17); // h=1.4: 0.2 + 0.4 * 0.1
    }

    @Test
    void severalAtOnceAndSingleValue() {
        assertArrayEquals(new double[]{1.75, 8.5}, Quantile.ofAll(V, 0.1, 0.9));
        assertEquals(4.0, Quantile.of(new double[]{4}, 0.37));
    }

    @Test
    void doesNotReorderTheInput() {
        double[] v = V.clone();
        Quantile.of(v, 0.5);
        assertArrayEquals(V, v);
    }

    @Test
    void refusesBadInput() {
        assertThrows(IllegalArgumentException.class, () -> Quantile.of(new double[0], 0.5));
        assertThrows(IllegalArgumentException.class, () -> Quantile.of(V, 1.01));
        assertThrows(IllegalArgumentException.class, () -> Quantile.of(V, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Quantile.of(new double[]{1, Double.NaN}, 0.5));
    }
}
