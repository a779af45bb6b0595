package io.sparkcae.prep.reassembly;

import java.util.Arrays;

/**
 * How much each position of a patch counts when overlapping patches are blended back into one sample.
 * HANN down-weights patch borders, where a CAE's reconstruction is worst (less context, zero padding),
 * so seams between patches fade out; UNIFORM is a plain average.
 */
public enum BlendWindow {
    /**
     * Separable Hann, sin²(π(i + ½)/n) per axis: symmetric, positive at both ends, and shifted copies at
     * half-window stride sum to a constant. The product is floored at {@link #HANN_FLOOR} so the outer rim
     * of the sample, which only border positions of patches reach, still gets a value.
     */
    HANN,
    /** Every position weighs 1. */
    UNIFORM;

    public static final double HANN_FLOOR = 1e-3;

    /** Weights over the window's spatial positions, C-order ([D,] H, W). */
    double[] weights(int[] window) {
        int n = 1;
        for (int w : window) {
            n *= w;
        }
        double[] out = new double[n];
        Arrays.fill(out, 1.0);
        if (this == UNIFORM) {
            return out;
        }
        int inner = n;
        for (int w : window) {
            inner /= w;
            double[] axis = new double[w];
            for (int i = 0; i < w; i++) {
                double s = Math.sin(Math.PI * (i + 0.5) / w);
                axis[i] = s * s;
            }
            for (int p = 0; p < n; p++) {
                out[p] *= axis[(p / inner) % w];
            }
        }
        for (int p = 0; p < n; p++) {
            out[p] = Math.max(out[p], HANN_FLOOR);
        }
        return out;
    }
}
