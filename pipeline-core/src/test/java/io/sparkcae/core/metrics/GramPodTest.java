package io.sparkcae.core.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** GramPod from Gram products must give the same spectrum and held-out errors as the snapshot-matrix PodBasis. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class GramPodTest {

    /** n snapshots of m values: a few smooth random modes plus noise, so the spectrum decays like real data. */
    private static float[][] snapshots(Random r, int n, int m) {
        double[][] basis = new double[5][m];
        for (int k = 0; k < 5; k++) {
            for (int j = 0; j < m; j++) {
                basis[k][j] = Math.sin((k + 1) * 0.1 * j + k);
            }
        }
        float[][] x = new float[n][m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 5; k++) {
                double c = r.nextGaussian() / (k + 1);
                for (int j = 0; j < m; j++) {
                    x[i][j] += (float) (c * basis[k][j]);
                }
            }
            for (int j = 0; j < m; j++) {
                x[i][j] += (float) (0.5 + 0.01 * r.nextGaussian());
            }
        }
        return x;
    }

    private static GramPod fromProducts(float[][] train, float[][] test) {
        int n = train.length;
        int m = train[0].length;
        double[] mean = new double[m];
        for (float[] row : train) {
            for (int j = 0; j < m; j++) {
                mean[j] += row[j] / (double) n;
            }
        }
        double[] gram = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                gram[i * n + k] = dotCentred(train[i], train[k], mean);
            }
        }
        double[] cross = new double[test.length * n];
        double[] squares = new double[test.length];
        for (int t = 0; t < test.length; t++) {
            for (int i = 0; i < n; i++) {
                cross[t * n + i] = dotCentred(test[t], train[i], mean);
            }
            squares[t] = dotCentred(test[t], test[t], mean);
        }
        return GramPod.of(gram, n, cross, squares, m);
    }

    private static double dotCentred(float[] a, float[] b, double[] mean) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += (a[j] - mean[j]) * (b[j] - mean[j]);
        }
        return s;
    }

    @Test
    void sameSpectrumAndHeldOutErrorsAsTheSnapshotMatrixPod() {
        Random r = new Random(7);
        float[][] train = snapshots(r, 40, 120);
        float[][] test = snapshots(r, 9, 120);
        PodBasis reference = PodBasis.fit(train);
        GramPod pod = fromProducts(train, test);

        assertEquals(reference.modeCount(), pod.modeCount());
        double[] s = pod.spectrum().singularValues();
        double[] sRef = reference.singularValues();
        for (int k = 0; k < 16; k++) {
            assertEquals(sRef[k], s[k], 1e-6 * sRef[0], "singular value " + k);
        }
        for (int k = 0; k <= 16; k++) {
            double ref = reference.reconstructionMse(test, k);
            assertEquals(ref, pod.heldOutMse(k), 1e-6 * reference.reconstructionMse(test, 0) + 1e-12, "k=" + k);
        }
        assertEquals(reference.rankForEnergy(0.99), pod.spectrum().rankForEnergy(0.99));
        // the coefficients are those of the modes: same values up to each mode's sign
        double[] a = pod.heldOutCoefficients(0, 3);
        double[] aRef = reference.project(test[0], 3);
        for (int k = 0; k < 3; k++) {
            assertEquals(Math.abs(aRef[k]), Math.abs(a[k]), 1e-5);
        }
    }

    @Test
    void rejectsProductsOfTheWrongShape() {
        assertThrows(IllegalArgumentException.class, () -> GramPod.of(new double[5], 2, new double[0], new double[0], 3));
        assertThrows(IllegalArgumentException.class, () -> GramPod.of(new double[4], 2, new double[3], new double[2], 3));
    }
}
