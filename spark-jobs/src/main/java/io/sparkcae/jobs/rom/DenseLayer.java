package io.sparkcae.jobs.rom;

import java.util.Random;

/**
 * One fully connected layer a = act(x W + b) on row-major batches, with its gradients and Adam moments, in plain
 * Java. The POD-autoencoder's layers are a few dozen wide and see a few hundred rows: at that size a library
 * call costs far more in overhead than the arithmetic, so these loops are what makes an epoch take
 * milliseconds.
 */
final class DenseLayer {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    final int in;
    final int out;
    private final boolean tanh;
    private final boolean decayed;
    /** W as in x out, row-major: w[i * out + o]. */
    final double[] w;
    /** the bias, or null for a bias-free layer */
    final double[] b;
    private final double[] gw;
    private final double[] gb;
    private final double[] mw;
    private final double[] vw;
    private final double[] mb;
    private final double[] vb;
    private double[][] lastIn;
    private double[][] lastOut;

    /**
     * @param tanh    tanh activation, else identity
     * @param bias    whether the layer has a bias
     * @param decayed whether weight decay applies to it
     */
    DenseLayer(int in, int out, boolean tanh, boolean bias, boolean decayed, Random init) {
        this.in = in;
        this.out = out;
        this.tanh = tanh;
        this.decayed = decayed;
        w = new double[in * out];
        // Xavier (Glorot) normal, as the library's XAVIER init
        double sd = Math.sqrt(2.0 / (in + out));
        for (int i = 0; i < w.length; i++) {
            w[i] = init.nextGaussian() * sd;
        }
        b = bias ? new double[out] : null;
        gw = new double[w.length];
        mw = new double[w.length];
        vw = new double[w.length];
        gb = bias ? new double[out] : null;
        mb = bias ? new double[out] : null;
        vb = bias ? new double[out] : null;
    }

    /** The layer's output for each row of {@code x}; kept, with x, for {@link #backward}. */
    double[][] forward(double[][] x) {
        double[][] y = new double[x.length][out];
        for (int r = 0; r < x.length; r++) {
            double[] xr = x[r];
            double[] yr = y[r];
            if (b != null) {
                System.arraycopy(b, 0, yr, 0, out);
            }
            for (int i = 0; i < in; i++) {
                double xi = xr[i];
                if (xi == 0) {
                    continue;
                }
                int base = i * out;
                for (int o = 0; o < out; o++) {
                    yr[o] += xi * w[base + o];
                }
            }
            if (tanh) {
                for (int o = 0; o < out; o++) {
                    yr[o] = Math.tanh(yr[o]);
                }
            }
        }
        lastIn = x;
        lastOut = y;
        return y;
    }

    /**
     * Adds this batch's gradients of the loss (given d loss / d output of the last {@link #forward}) to the
     * layer's and returns d loss / d input.
     */
    double[][] backward(double[][] dy) {
        double[][] dx = new double[dy.length][in];
        double[] d = new double[out];
        for (int r = 0; r < dy.length; r++) {
            double[] xr = lastIn[r];
            for (int o = 0; o < out; o++) {
                double a = lastOut[r][o];
                d[o] = tanh ? dy[r][o] * (1 - a * a) : dy[r][o];
            }
            if (gb != null) {
                for (int o = 0; o < out; o++) {
                    gb[o] += d[o];
                }
            }
            double[] dxr = dx[r];
            for (int i = 0; i < in; i++) {
                int base = i * out;
                double xi = xr[i];
                double s = 0;
                for (int o = 0; o < out; o++) {
                    gw[base + o] += xi * d[o];
                    s += w[base + o] * d[o];
                }
                dxr[i] = s;
            }
        }
        return dx;
    }

    /** One Adam step (bias-corrected for step {@code t} ≥ 1) with decoupled weight decay, then clears the gradients. */
    void adamStep(double lr, int t, double weightDecay) {
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = 1 - Math.pow(BETA2, t);
        double wd = decayed ? weightDecay : 0;
        adam(w, gw, mw, vw, lr, c1, c2, wd);
        if (b != null) {
            adam(b, gb, mb, vb, lr, c1, c2, 0);
        }
    }

    private static void adam(double[] p, double[] g, double[] m, double[] v, double lr, double c1, double c2, double wd) {
        for (int i = 0; i < p.length; i++) {
            m[i] = BETA1 * m[i] + (1 - BETA1) * g[i];
            v[i] = BETA2 * v[i] + (1 - BETA2) * g[i] * g[i];
            p[i] -= lr * ((m[i] / c1) / (Math.sqrt(v[i] / c2) + EPSILON) + wd * p[i]);
            g[i] = 0;
        }
    }

    /** The weight gradients accumulated since the last Adam step (a copy). */
    double[] weightGradient() {
        return gw.clone();
    }

    /** The bias gradients accumulated since the last Adam step (a copy), or null without a bias. */
    double[] biasGradient() {
        return gb == null ? null : gb.clone();
    }

    /** Sets every weight and bias to zero. */
    void zero() {
        java.util.Arrays.fill(w, 0);
        if (b != null) {
            java.util.Arrays.fill(b, 0);
        }
    }

    /** A copy of the weights and bias, for {@link #restore}. */
    double[][] save() {
        return new double[][]{w.clone(), b == null ? null : b.clone()};
    }

    void restore(double[][] saved) {
        System.arraycopy(saved[0], 0, w, 0, w.length);
        if (b != null) {
            System.arraycopy(saved[1], 0, b, 0, b.length);
        }
    }
}
