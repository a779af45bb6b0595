package io.sparkcae.core.anomaly;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CombinedScoreTest {

    /** Means 2 and 20, sample stds 1 and 10: (4, 10) is +2 and −1 standard deviations, mean 0.5. */
    @Test
    void meanOfValidationZScores() {
        CombinedScore c = CombinedScore.fit(new double[][]{{1, 2, 3}, {10, 20, 30}});
        assertEquals(2, c.mean(0), 1e-12);
        assertEquals(10, c.std(1), 1e-12);
        assertEquals(0.5, c.of(4, 10), 1e-12);
        assertEquals(0.0, c.of(2, 20), 1e-12);
    }

    /** Rescaling one score leaves the combination unchanged: only its spread on normal data matters. */
    @Test
    void invariantToEachScoresScale() {
        CombinedScore a = CombinedScore.fit(new double[][]{{0.01, 0.02, 0.04}, {5, 6, 9}});
        CombinedScore b = CombinedScore.fit(new double[][]{{1, 2, 4}, {5, 6, 9}});
        assertEquals(a.of(0.03, 7), b.of(3, 7), 1e-12);
    }

    @Test
    void refusesTooFewOrNaNValues() {
        assertThrows(IllegalArgumentException.class, () -> CombinedScore.fit(new double[][]{{1}}));
        assertThrows(IllegalArgumentException.class, () -> CombinedScore.fit(new double[][]{{1, Double.NaN}}));
        assertThrows(IllegalArgumentException.class, () -> CombinedScore.fit(new double[][]{{1, 2}}).of(1, 2));
    }
}
