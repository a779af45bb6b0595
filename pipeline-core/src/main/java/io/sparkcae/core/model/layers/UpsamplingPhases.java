package io.sparkcae.core.model.layers;

/**
 * The geometry of a same-padded, stride-1 convolution with an odd cubic kernel of side {@code k} applied to a
 * volume upsampled 2x by nearest neighbour. Each fine voxel {@code 2i + a} (phase {@code a} in {0, 1} per axis)
 * sees the coarse voxels {@code floor((2i + a + f) / 2) = i + floor((a + f) / 2)} for the kernel's offsets
 * {@code f} in [-r, r], r = k / 2: only {@code r + 1} coarse taps per axis, so the eight phases are eight
 * convolutions of the coarse volume with kernels of side {@code r + 1} whose taps are sums of the original
 * ones ({@link #fold}). One convolution with the eight phases' kernels stacked as output channels and padding
 * {@link #padding()} computes all of them; phase {@code a}'s voxels start at {@link #start(int)} in its output.
 * For k = 3 that is 8 taps instead of 27 per output voxel, and no upsampled copy of the input.
 */
final class UpsamplingPhases {
    private final int k;
    private final int r;

    UpsamplingPhases(int kernel) {
        if (kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("odd kernel side expected: " + kernel);
        }
        this.k = kernel;
        this.r = kernel / 2;
    }

    /** Side of each phase's kernel. */
    int phaseKernel() {
        return r + 1;
    }

    /** Zero padding on each side of the coarse volume for the stacked convolution. */
    int padding() {
        return -Math.floorDiv(-r, 2);
    }

    /** Side of the stacked convolution's output along an axis of {@code coarse} voxels. */
    int stackedSide(int coarse) {
        return coarse + 2 * padding() - phaseKernel() + 1;
    }

    /** Where phase {@code a}'s voxels start in the stacked convolution's output. */
    int start(int a) {
        return Math.floorDiv(a - r, 2) + padding();
    }

    /** The phase-kernel tap that the original kernel's tap {@code t} (0..k-1) falls on in phase {@code a}. */
    private int phaseTap(int a, int t) {
        return Math.floorDiv(a + t - r, 2) - Math.floorDiv(a - r, 2);
    }

    /**
     * The eight phase kernels of {@code w} [out][in][k][k][k] (c order, flat), stacked phase-major as
     * [8 * out][in][p][p][p], p = {@link #phaseKernel()}; phase index {@code 4a + 2b + c} for the depth, height
     * and width phases.
     */
    float[] fold(float[] w, int out, int in) {
        int p = phaseKernel();
        int p3 = p * p * p;
        int k3 = k * k * k;
        float[] folded = new float[8 * out * in * p3];
        for (int phase = 0; phase < 8; phase++) {
            int[] taps = tapMap(phase);
            for (int oi = 0; oi < out * in; oi++) {
                int src = oi * k3;
                int dst = (phase * out * in + oi) * p3;
                for (int t = 0; t < k3; t++) {
                    folded[dst + taps[t]] += w[src + t];
                }
            }
        }
        return folded;
    }

    /** The adjoint of {@link #fold}: the original kernel's gradient from the phase kernels' gradient. */
    float[] unfold(float[] foldedGrad, int out, int in) {
        int p = phaseKernel();
        int p3 = p * p * p;
        int k3 = k * k * k;
        float[] grad = new float[out * in * k3];
        for (int phase = 0; phase < 8; phase++) {
            int[] taps = tapMap(phase);
            for (int oi = 0; oi < out * in; oi++) {
                int src = (phase * out * in + oi) * p3;
                int dst = oi * k3;
                for (int t = 0; t < k3; t++) {
                    grad[dst + t] += foldedGrad[src + taps[t]];
                }
            }
        }
        return grad;
    }

    /** For each flat tap of the original kernel, the flat tap of the phase kernel it is summed into. */
    private int[] tapMap(int phase) {
        int a = phase >> 2;
        int b = (phase >> 1) & 1;
        int c = phase & 1;
        int p = phaseKernel();
        int[] map = new int[k * k * k];
        for (int d = 0; d < k; d++) {
            for (int h = 0; h < k; h++) {
                for (int w = 0; w < k; w++) {
                    map[(d * k + h) * k + w] = (phaseTap(a, d) * p + phaseTap(b, h)) * p + phaseTap(c, w);
                }
            }
        }
        return map;
    }
}
