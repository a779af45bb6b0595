package io.sparkcae.core.anomaly;

import io.sparkcae.core.metrics.CovarianceAccumulator;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MahalanobisDistanceTest {

    /**
     * μ = (1, 2), Σ = [[4, 2], [2, 3]]: Σ⁻¹ = [[3, −2], [−2, 4]] / 8, so for z − μ = (2, 0) the squared distance
     * is 4 · 3/8 = 1.5, for (0, 2) it is 4 · 4/8 = 2 and for (1, 1) it is (3 − 4 + 4)/8 = 0.375.
     */
    @Test
    void matchesTheHandComputedInverse() {
        MahalanobisDistance m = MahalanobisDistance.fit(new double[]{1, 2}, new double[]{4, 2, 2, 3}, 1e-12);
        assertEquals(Math.sqrt(1.5), m.distance(new float[]{3, 2}), 1e-9);
        assertEquals(Math.sqrt(2.0), m.distance(new float[]{1, 4}), 1e-9);
        assertEquals(Math.sqrt(0.375), m.distance(new float[]{2, 3}), 1e-9);
        assertEquals(0.0, m.distance(new float[]{1, 2}), 1e-12);
        assertArrayEquals(new double[]{Math.sqrt(1.5), Math.sqrt(2.0), Math.sqrt(0.375)},
                m.distances(new float[][]{{3, 2}, {1, 4}, {2, 3}}), 1e-9);
    }

    /** Σ = diag(1, 0) is singular; ridge 0.5 of the mean variance 0.5 adds 0.25: diag(1.25, 0.25). */
    @Test
    void theRidgeIsRelativeToTheMeanVarianceAndInvertsASingularCovariance() {
        double[] singular = {1, 0, 0, 0};
        assertThrows(IllegalArgumentException.class, () -> MahalanobisDistance.fit(new double[2], singular, 0));
        MahalanobisDistance m = MahalanobisDistance.fit(new double[2], singular, 0.5);
        assertEquals(0.25, m.ridge(), 1e-15);
        assertEquals(Math.sqrt(1 / 1.25 + 1 / 0.25), m.distance(new float[]{1, 1}), 1e-9);
        // the same ridge fraction on a covariance 100x larger: the same distances for latents 10x larger
        MahalanobisDistance scaled = MahalanobisDistance.fit(new double[2], new double[]{100, 0, 0, 0}, 0.5);
        assertEquals(m.distance(new float[]{1, 1}), scaled.distance(new float[]{10, 10}), 1e-9);
    }

    /** Fitted from sample moments, the mean squared distance over the sample is (n − 1)/n · d (a known identity). */
    @Test
    void meanSquaredDistanceOverTheFittedSampleIsTheDimension() {
        Random rnd = new Random(7);
        int n = 500;
        int d = 6;
        float[][] z = new float[n][d];
        CovarianceAccumulator acc = new CovarianceAccumulator(d);
        for (int i = 0; i < n; i++) {
            double shared = rnd.nextGaussian();
            for (int j = 0; j < d; j++) {
                // correlated columns of different scales
                z[i][j] = (float) ((j + 1) * (shared + 0.5 * rnd.nextGaussian()) + j);
            }
            acc.add(z[i]);
        }
        MahalanobisDistance m = MahalanobisDistance.fit(acc.mean(), acc.covariance(), 1e-12);
        double sum = 0;
        for (double v : m.distances(z)) {
            sum += v * v;
        }
        assertEquals((n - 1.0) / n * d, sum / n, 1e-4);
    }
}
