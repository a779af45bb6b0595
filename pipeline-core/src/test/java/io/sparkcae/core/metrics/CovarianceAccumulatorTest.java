package io.sparkcae.core.metrics;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CovarianceAccumulatorTest {

    private static float[][] rows(int n, int m, double offset, double spread, long seed) {
        Random rnd = new Random(seed);
        float[][] x = new float[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                x[i][j] = (float) (offset * (j + 1) + spread * rnd.nextGaussian());
            }
        }
        return x;
    }

    /** Two-pass textbook covariance of the same float values, in double. */
    private static double[] twoPass(float[][] x) {
        int n = x.length;
        int m = x[0].length;
        double[] mu = new double[m];
        for (float[] r : x) {
            for (int j = 0; j < m; j++) {
                mu[j] += r[j];
            }
        }
        for (int j = 0; j < m; j++) {
            mu[j] /= n;
        }
        double[] c = new double[m * m];
        for (float[] r : x) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    c[i * m + j] += (r[i] - mu[i]) * (r[j] - mu[j]);
                }
            }
        }
        for (int i = 0; i < c.length; i++) {
            c[i] /= n - 1;
        }
        return c;
    }

    private static double maxRelativeError(double[] expected, double[] actual) {
        double scale = 0;
        double err = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            err = Math.max(err, Math.abs(expected[i] - actual[i]));
        }
        return err / scale;
    }

    @Test
    void mergedPartitionsEqualTwoPassCovariance() {
        float[][] x = rows(103, 7, 0.5, 1.0, 1);
        CovarianceAccumulator a = new CovarianceAccumulator(7, 5);
        CovarianceAccumulator b = new CovarianceAccumulator(7, 16);
        CovarianceAccumulator empty = new CovarianceAccumulator(7);
        for (int i = 0; i < x.length; i++) {
            (i < 40 ? a : b).add(x[i]);
        }
        CovarianceAccumulator all = a.merge(empty).merge(b);
        assertEquals(103, all.count());
        assertTrue(maxRelativeError(twoPass(x), all.covariance()) < 1e-13);
    }

    @Test
    void largeMeanSmallSpreadStaysAccurate() {
        // raw XᵀX − n·μμᵀ would lose ~10 digits here: (1e3 / 1e-2)² = 1e10
        float[][] x = rows(2000, 4, 1000, 0.01, 2);
        CovarianceAccumulator acc = new CovarianceAccumulator(4);
        for (float[] r : x) {
            acc.add(r);
        }
        assertTrue(maxRelativeError(twoPass(x), acc.covariance()) < 1e-9);
    }

    @Test
    void survivesJavaSerialisationWithRowsStillBuffered() throws IOException, ClassNotFoundException {
        float[][] x = rows(30, 5, 0, 1, 3);
        CovarianceAccumulator acc = new CovarianceAccumulator(5, 8);
        for (int i = 0; i < 20; i++) {
            acc.add(x[i]); // 2 full blocks + 4 buffered rows
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(acc);
        }
        CovarianceAccumulator back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (CovarianceAccumulator) in.readObject();
        }
        for (int i = 20; i < 30; i++) {
            back.add(x[i]);
        }
        assertEquals(30, back.count());
        assertTrue(maxRelativeError(twoPass(x), back.covariance()) < 1e-13);
        double[] mu = new double[5];
        for (float[] r : x) {
            for (int j = 0; j < 5; j++) {
                mu[j] += r[j] / 30.0;
            }
        }
        assertArrayEquals(mu, back.mean(), 1e-12);
    }
}
