package io.sparkcae.core.metrics;

/**
 * Separable, normalised 11-tap Gaussian smoothing that keeps only the "valid" region, where the whole window
 * lies inside the data. Scikit-image's SSIM filters with reflected borders and then crops
 * {@code (taps-1)/2} from every edge before averaging; the surviving positions are exactly these, so the
 * border handling never influences the result and need not be reproduced.
 *
 * <p>Data are held position by position, each position a row of values filtered side by side (one per
 * patch of a batch): {@code values[position][j]}. The innermost loops then run along such a row with one
 * index on every array, which C2 vectorises; a patch's own lines are too short for that (18 valid values of 28).
 */
final class GaussianValidFilter {
    static final int TAPS = 11;
    private final double[] weights;

    /** @param sigma standard deviation; the window is 11 taps (scipy's int(truncate·σ + 0.5) per side for σ = 1.5) */
    GaussianValidFilter(double sigma) {
        int radius = TAPS / 2;
        weights = new double[TAPS];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            double w = Math.exp(-0.5 * i * i / (sigma * sigma));
            weights[i + radius] = w;
            sum += w;
        }
        for (int i = 0; i < weights.length; i++) {
            weights[i] /= sum;
        }
    }

    /**
     * Filters the first {@code width} values of every position of a C-order array of shape {@code dims} along
     * {@code axis} into {@code out}, which needs {@code dims} with that axis 10 shorter positions.
     */
    void filterAxis(double[][] in, double[][] out, int[] dims, int axis, int width) {
        int outer = 1;
        for (int a = 0; a < axis; a++) {
            outer *= dims[a];
        }
        int inner = 1;
        for (int a = axis + 1; a < dims.length; a++) {
            inner *= dims[a];
        }
        int n = dims[axis];
        int m = n - TAPS + 1;
        double w0 = weights[0], w1 = weights[1], w2 = weights[2], w3 = weights[3], w4 = weights[4], w5 = weights[5];
        double w6 = weights[6], w7 = weights[7], w8 = weights[8], w9 = weights[9], w10 = weights[10];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < m; i++) {
                for (int k = 0; k < inner; k++) {
                    double[] to = out[(o * m + i) * inner + k];
                    int at = (o * n + i) * inner + k;
                    double[] f0 = in[at], f1 = in[at + inner], f2 = in[at + 2 * inner], f3 = in[at + 3 * inner];
                    double[] f4 = in[at + 4 * inner], f5 = in[at + 5 * inner], f6 = in[at + 6 * inner];
                    double[] f7 = in[at + 7 * inner], f8 = in[at + 8 * inner], f9 = in[at + 9 * inner];
                    double[] f10 = in[at + 10 * inner];
                    // The taps written out, four to a loop: one sum per value, in tap order (the same value as a
                    // loop over the taps), in loops that C2 vectorises (with all eleven in one loop it does not).
                    for (int j = 0; j < width; j++) {
                        to[j] = w0 * f0[j] + w1 * f1[j] + w2 * f2[j] + w3 * f3[j];
                    }
                    for (int j = 0; j < width; j++) {
                        to[j] = to[j] + w4 * f4[j] + w5 * f5[j] + w6 * f6[j] + w7 * f7[j];
                    }
                    for (int j = 0; j < width; j++) {
                        to[j] = to[j] + w8 * f8[j] + w9 * f9[j] + w10 * f10[j];
                    }
                }
            }
        }
    }
}
