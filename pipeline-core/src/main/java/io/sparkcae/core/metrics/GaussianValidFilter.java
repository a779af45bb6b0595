package io.sparkcae.core.metrics;

/**
 * Separable, normalised Gaussian smoothing that keeps only the "valid" region, where the whole window
 * lies inside the data. Scikit-image's SSIM filters with reflected borders and then crops
 * {@code (taps-1)/2} from every edge before averaging; the surviving positions are exactly these, so the
 * border handling never influences the result and need not be reproduced.
 */
final class GaussianValidFilter {
    private final double[] weights;

    /** @param sigma standard deviation; @param radius taps on each side (scipy: int(truncate·σ + 0.5)) */
    GaussianValidFilter(double sigma, int radius) {
        weights = new double[2 * radius + 1];
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

    int taps() {
        return weights.length;
    }

    /**
     * Filters a C-order array of shape {@code dims} along each axis in turn.
     *
     * @return the valid region; {@code dims} is updated in place to its shape (each axis shrinks by taps-1)
     */
    double[] filterAllAxes(double[] data, int[] dims) {
        double[] out = data;
        for (int axis = 0; axis < dims.length; axis++) {
            out = filterAxis(out, dims, axis);
        }
        return out;
    }

    private double[] filterAxis(double[] in, int[] dims, int axis) {
        int outer = 1;
        for (int a = 0; a < axis; a++) {
            outer *= dims[a];
        }
        int inner = 1;
        for (int a = axis + 1; a < dims.length; a++) {
            inner *= dims[a];
        }
        int n = dims[axis];
        int m = n - weights.length + 1;
        double[] out = new double[outer * m * inner];
        for (int o = 0; o < outer; o++) {
            int inBase = o * n * inner;
            int outBase = o * m * inner;
            for (int i = 0; i < m; i++) {
                int dst = outBase + i * inner;
                for (int t = 0; t < weights.length; t++) {
                    double w = weights[t];
                    int src = inBase + (i + t) * inner;
                    // The innermost loop runs over contiguous memory whatever the axis.
                    for (int k = 0; k < inner; k++) {
                        out[dst + k] += w * in[src + k];
                    }
                }
            }
        }
        dims[axis] = m;
        return out;
    }
}
