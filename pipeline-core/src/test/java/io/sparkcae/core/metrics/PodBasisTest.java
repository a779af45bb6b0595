package io.sparkcae.core.metrics;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PodBasisTest {
    // Orthonormal in R^6 and exactly representable: e1·e2 = (1 - 1)/4 = 0.
    private static final double[] E1 = {0.5, 0.5, 0.5, 0.5, 0, 0};
    private static final double[] E2 = {0, 0, 0.5, -0.5, 0.5, -0.5};
    private static final double[] MU = {0.5, 0.25, 0.125, 0.0625, 1, 2};

    private static float[] row(double alpha, double beta) {
        float[] x = new float[6];
        for (int j = 0; j < 6; j++) {
            x[j] = (float) (MU[j] + alpha * E1[j] + beta * E2[j]);
        }
        return x;
    }

    /**
     * Rows μ + 3·a_i·e1 + 2·b_i·e2 with a = (1,1,-1,-1)/2 and b = (1,-1,1,-1)/2 orthonormal and zero-mean,
     * so the centred matrix is 3·a·e1ᵀ + 2·b·e2ᵀ: its SVD by construction, singular values 3 and 2.
     */
    private static float[][] rankTwo() {
        double[] a = {0.5, 0.5, -0.5, -0.5};
        double[] b = {0.5, -0.5, 0.5, -0.5};
        float[][] x = new float[4][];
        for (int i = 0; i < 4; i++) {
            x[i] = row(3 * a[i], 2 * b[i]);
        }
        return x;
    }

    private static void assertRankTwoBasis(PodBasis p) {
        assertEquals(2, p.modeCount());
        assertArrayEquals(new double[]{3, 2}, p.singularValues(), 1e-12);
        assertArrayEquals(new double[]{9.0 / 13.0, 1.0}, p.cumulativeEnergy(), 1e-12);
        assertArrayEquals(MU, p.mean(), 1e-12);
        assertArrayEquals(E1, p.mode(0), 1e-12);
        assertArrayEquals(E2, p.mode(1), 1e-12);
        assertEquals(1, p.rankForEnergy(0.5));
        assertEquals(2, p.rankForEnergy(0.7));
        assertEquals(2, p.rankForEnergy(1.0));
        for (float[] x : rankTwo()) {
            assertArrayEquals(x, p.reconstruct(p.project(x, 2)), 1e-6f);
        }
        // held out, same subspace: exact at k = 2; at k = 1 the e2 part (β = 0.3) is lost: MSE = β²·|e2|²/6
        float[][] heldOut = {row(0.7, 0.3), row(-1.1, 0.3)};
        assertEquals(0, p.reconstructionMse(heldOut, 2), 1e-12);
        assertEquals(0.09 / 6, p.reconstructionMse(heldOut, 1), 1e-7); // float rows
        assertArrayEquals(new double[]{0.7, 0.3}, p.project(row(0.7, 0.3), 2), 1e-6);
    }

    @Test
    void rankTwoSnapshotsByGramPath() {
        assertRankTwoBasis(PodBasis.fitGram(rankTwo()));
        assertRankTwoBasis(PodBasis.fit(rankTwo())); // 4 rows < 6 columns: Gram
    }

    @Test
    void rankTwoSnapshotsByCovariancePath() {
        assertRankTwoBasis(PodBasis.fitCovariance(rankTwo()));
    }

    @Test
    void tallRankTwoMatrixHasFullEnergyAtTwo() {
        Random rnd = new Random(3);
        float[][] x = new float[40][];
        for (int i = 0; i < x.length; i++) {
            x[i] = row(rnd.nextGaussian(), rnd.nextGaussian());
        }
        PodBasis p = PodBasis.fit(x); // 40 rows >= 6 columns: covariance
        assertEquals(2, p.modeCount());
        assertEquals(1.0, p.cumulativeEnergy()[1], 1e-12);
        assertEquals(0, p.reconstructionMse(x, 2), 1e-12);
    }

    private static float[][] random(int n, int m, long seed) {
        Random rnd = new Random(seed);
        float[][] x = new float[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                x[i][j] = (float) (rnd.nextGaussian() * (1 + j % 3) + j);
            }
        }
        return x;
    }

    private static void assertSameBasis(PodBasis a, PodBasis b, float[] probe) {
        assertEquals(a.modeCount(), b.modeCount());
        assertArrayEquals(a.singularValues(), b.singularValues(), 1e-9 * a.singularValues()[0]);
        assertArrayEquals(a.mean(), b.mean(), 1e-9);
        for (int i = 0; i < a.modeCount(); i++) {
            assertArrayEquals(a.mode(i), b.mode(i), 1e-8, "mode " + i);
        }
        for (int k = 0; k <= a.modeCount(); k++) {
            assertArrayEquals(a.reconstruct(a.project(probe, k)), b.reconstruct(b.project(probe, k)), 1e-5f);
        }
    }

    @Test
    void gramAndCovariancePathsAgree() {
        float[][] wide = random(8, 12, 11);
        assertEquals(7, PodBasis.fitGram(wide).modeCount()); // centring removes one dimension
        assertSameBasis(PodBasis.fitGram(wide), PodBasis.fitCovariance(wide), random(1, 12, 99)[0]);
        float[][] tall = random(20, 6, 12);
        assertEquals(6, PodBasis.fitGram(tall).modeCount());
        assertSameBasis(PodBasis.fitGram(tall), PodBasis.fitCovariance(tall), random(1, 6, 98)[0]);
    }

    @Test
    void basisFromMergedAccumulatorsEqualsOneFit() {
        float[][] x = random(50, 9, 5);
        CovarianceAccumulator[] parts = {new CovarianceAccumulator(9, 4), new CovarianceAccumulator(9, 4),
                new CovarianceAccumulator(9, 4)};
        for (int i = 0; i < x.length; i++) {
            parts[i % 3].add(x[i]);
        }
        PodBasis merged = PodBasis.fromCovariance(parts[0].merge(parts[1]).merge(parts[2]));
        assertSameBasis(PodBasis.fitGram(x), merged, random(1, 9, 97)[0]);
    }

    @Test
    void refusesBadArguments() {
        PodBasis p = PodBasis.fit(rankTwo());
        assertThrows(IllegalArgumentException.class, () -> p.project(new float[6], 3));
        assertThrows(IllegalArgumentException.class, () -> p.project(new float[5], 1));
        assertThrows(IllegalArgumentException.class, () -> p.rankForEnergy(0));
        assertThrows(IllegalArgumentException.class, () -> PodBasis.fit(new float[0][]));
        assertThrows(IllegalArgumentException.class, () -> PodBasis.fit(new float[][]{{1, 2}, {1}}));
    }
}
