package io.sparkcae.core.metrics;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** ROC-AUC, average precision and ROC points against hand-counted cases. */
class RankingMetricsTest {
    private static final boolean T = true;
    private static final boolean F = false;

    @Test
    void perfectlySeparatedReversedAndAllTied() {
        boolean[] y = {F, F, T, T};
        assertEquals(1.0, RocAuc.of(new double[]{0.1, 0.2, 0.8, 0.9}, y));
        assertEquals(0.0, RocAuc.of(new double[]{0.9, 0.8, 0.2, 0.1}, y));
        assertEquals(0.5, RocAuc.of(new double[]{3, 3, 3, 3}, y));
        assertEquals(1.0, PrAuc.of(new double[]{0.1, 0.2, 0.8, 0.9}, y));
        // all tied: one threshold, precision 2/4 at recall 1
        assertEquals(0.5, PrAuc.of(new double[]{3, 3, 3, 3}, y));
    }

    @Test
    void scikitLearnDocExampleByHand() {
        // sorted: 0.8(+) 0.4(-) 0.35(+) 0.1(-); pairs (+,-) ranked right: 0.8>0.4, 0.8>0.1, 0.35>0.1 = 3 of 4
        double[] s = {0.1, 0.4, 0.35, 0.8};
        boolean[] y = {F, F, T, T};
        assertEquals(0.75, RocAuc.of(s, y), 1e-15);
        // AP = 0.5 * 1/1 (at 0.8) + 0.5 * 2/3 (at 0.35)
        assertEquals(0.5 + 0.5 * 2.0 / 3.0, PrAuc.of(s, y), 1e-15);
    }

    @Test
    void tiesCountHalf() {
        // positives {0.5, 0.7}, negatives {0.5, 0.3, 0.7}; pairs: (.5,.5)=½ (.5,.3)=1 (.5,.7)=0
        // (.7,.5)=1 (.7,.3)=1 (.7,.7)=½  -> 4 of 6
        double[] s = {0.5, 0.7, 0.5, 0.3, 0.7};
        boolean[] y = {T, T, F, F, F};
        assertEquals(4.0 / 6.0, RocAuc.of(s, y), 1e-15);
        // thresholds 0.7: tp1 fp1 (P=1/2, ΔR=1/2); 0.5: tp2 fp2 (P=1/2, ΔR=1/2) -> AP = 1/2
        assertEquals(0.5, PrAuc.of(s, y), 1e-15);
    }

    @Test
    void negativeZeroTiesPositiveZero() {
        assertEquals(0.5, RocAuc.of(new double[]{0.0, -0.0}, new boolean[]{T, F}));
    }

    @Test
    void matchesBruteForcePairCountWithManyTies() {
        Random rnd = new Random(7);
        int n = 500;
        double[] s = new double[n];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextDouble() < 0.3;
            s[i] = Math.round((rnd.nextGaussian() + (y[i] ? 0.8 : 0)) * 4) / 4.0; // coarse: lots of ties
        }
        double pairs = 0;
        double right = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (y[i] && !y[j]) {
                    pairs++;
                    right += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
            }
        }
        assertEquals(right / pairs, RocAuc.of(s, y), 1e-12);
        // the trapezoidal area under the curve is the same number
        RocCurve c = RocCurve.points(s, y);
        double area = 0;
        for (int k = 1; k < c.size(); k++) {
            area += (c.fpr()[k] - c.fpr()[k - 1]) * (c.tpr()[k] + c.tpr()[k - 1]) / 2;
        }
        assertEquals(right / pairs, area, 1e-12);
    }

    @Test
    void rocPointsOfTheDocExample() {
        RocCurve c = RocCurve.points(new double[]{0.1, 0.4, 0.35, 0.8}, new boolean[]{F, F, T, T});
        assertArrayEquals(new double[]{0, 0, 0.5, 0.5, 1}, c.fpr());
        assertArrayEquals(new double[]{0, 0.5, 0.5, 1, 1}, c.tpr());
        assertArrayEquals(new double[]{Double.POSITIVE_INFINITY, 0.8, 0.4, 0.35, 0.1}, c.thresholds());
    }

    @Test
    void refusesOneClassMismatchedLengthsAndNaN() {
        assertThrows(IllegalArgumentException.class, () -> RocAuc.of(new double[]{1, 2}, new boolean[]{T, T}));
        assertThrows(IllegalArgumentException.class, () -> PrAuc.of(new double[]{1, 2}, new boolean[]{F, F}));
        assertThrows(IllegalArgumentException.class, () -> RocCurve.points(new double[]{1, 2}, new boolean[]{F, F}));
        assertThrows(IllegalArgumentException.class, () -> RocAuc.of(new double[]{1, 2, 3}, new boolean[]{T, F}));
        assertThrows(IllegalArgumentException.class, () -> RocAuc.of(new double[]{1, Double.NaN}, new boolean[]{T, F}));
    }
}
