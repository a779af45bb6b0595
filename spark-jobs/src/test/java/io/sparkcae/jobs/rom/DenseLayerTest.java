package io.sparkcae.jobs.rom;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written backward pass against central finite differences of L = Σ c ⊙ out, for a tanh layer with
 * a bias feeding a linear bias-free one: every weight's, bias's and input's gradient.
 */
class DenseLayerTest {
    private final Random r = new Random(3);
    private final DenseLayer l1 = new DenseLayer(4, 5, true, true, true, r);
    private final DenseLayer l2 = new DenseLayer(5, 3, false, false, false, r);
    private final double[][] x = gaussian(6, 4);
    private final double[][] c = gaussian(6, 3);

    @Test
    void backwardMatchesFiniteDifferences() {
        for (int i = 0; i < l1.b.length; i++) {
            l1.b[i] = r.nextGaussian() * 0.3;
        }
        l2.forward(l1.forward(x));
        // dL/dout = c
        double[][] dx = l1.backward(l2.backward(c));
        assertClose(numeric(l1.w), l1.weightGradient(), "W1");
        assertClose(numeric(l1.b), l1.biasGradient(), "b1");
        assertClose(numeric(l2.w), l2.weightGradient(), "W2");
        for (int i = 0; i < x.length; i++) {
            assertClose(numeric(x[i]), dx[i], "x" + i);
        }
    }

    @Test
    void anAdamStepMovesAgainstTheGradientAndClearsIt() {
        l2.forward(l1.forward(x));
        l1.backward(l2.backward(c));
        double[] g = l1.weightGradient();
        double[] before = l1.w.clone();
        l1.adamStep(1e-3, 1, 0);
        for (int i = 0; i < g.length; i++) {
            // the first bias-corrected Adam step is lr · sign(g)
            assertEquals(before[i] - 1e-3 * Math.signum(g[i]), l1.w[i], 1e-6, "W1[" + i + "]");
        }
        assertTrue(java.util.Arrays.stream(l1.weightGradient()).allMatch(v -> v == 0));
    }

    private double loss() {
        double[][] out = l2.forward(l1.forward(x));
        double s = 0;
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < out[i].length; j++) {
                s += c[i][j] * out[i][j];
            }
        }
        return s;
    }

    private double[] numeric(double[] p) {
        DoubleSupplier f = this::loss;
        double h = 1e-6;
        double[] g = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            double keep = p[i];
            p[i] = keep + h;
            double up = f.getAsDouble();
            p[i] = keep - h;
            double down = f.getAsDouble();
            p[i] = keep;
            g[i] = (up - down) / (2 * h);
        }
        return g;
    }

    private double[][] gaussian(int rows, int cols) {
        double[][] a = new double[rows][cols];
        for (double[] row : a) {
            for (int j = 0; j < cols; j++) {
                row[j] = r.nextGaussian();
            }
        }
        return a;
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6, what + "[" + i + "]");
        }
    }
}
