package io.sparkcae.core.metrics;

import io.sparkcae.core.tensor.PatchShape;

/**
 * Mean structural similarity (SSIM, Wang et al. 2004) of two patches, 2D or 3D, averaged over channels.
 * Gaussian window σ = 1.5 with 11 taps per axis, K1 = 0.01, K2 = 0.03, population (not sample) variances,
 * averaged over the positions where the whole window fits. This is scikit-image's
 * {@code structural_similarity(a, b, data_range=L, gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False, channel_axis=0)}; scikit-image's default {@code use_sample_covariance=True}
 * would scale the variance and covariance terms by 121/120 (2D) or 1331/1330 (3D) instead.
 * Identical inputs give exactly 1.0. Patches need at least 11 voxels along every spatial axis.
 */
public final class Ssim {
    private static final double SIGMA = 1.5;
    private static final double K1 = 0.01;
    private static final double K2 = 0.03;
    private static final GaussianValidFilter FILTER = new GaussianValidFilter(SIGMA);
    /** Patches filtered side by side: long enough a row for vector loops, small enough to stay in cache. */
    private static final int CHUNK = 64;

    private Ssim() {
    }

    /**
     * @param a, b      C-order (C, [D,] H, W) values of the same shape
     * @param dataRange the span of possible values (1 for data scaled to [0, 1]); sets the stabilising constants
     * @throws IllegalArgumentException on a length mismatch, a non-positive range or a patch smaller than the window
     */
    public static double of(float[] a, float[] b, PatchShape shape, double dataRange) {
        int n = shape.elementCount();
        if (a.length != n || b.length != n) {
            throw new IllegalArgumentException("patch " + shape + " has " + n + " values, got " + a.length + " and " + b.length);
        }
        return ofBatch(a, b, 1, shape, dataRange)[0];
    }

    /**
     * The SSIM of each of {@code count} pairs of patches, stored one after another in {@code a} and {@code b}
     * (patch i at {@code i * shape.elementCount()}): the same values as {@link #of} pair by pair, computed
     * many patches at a time.
     *
     * @throws IllegalArgumentException as {@link #of}, or when the arrays hold fewer than {@code count} patches
     */
    public static double[] ofBatch(float[] a, float[] b, int count, PatchShape shape, double dataRange) {
        int n = shape.elementCount();
        if (count < 0 || a.length < (long) count * n || b.length < (long) count * n) {
            throw new IllegalArgumentException(count + " patches " + shape + " need " + (long) count * n
                    + " values each side, got " + a.length + " and " + b.length);
        }
        if (!(dataRange > 0)) {
            throw new IllegalArgumentException("data range must be positive, got " + dataRange);
        }
        for (int s : shape.spatialDims()) {
            if (s < GaussianValidFilter.TAPS) {
                throw new IllegalArgumentException("SSIM needs at least " + GaussianValidFilter.TAPS + " values along every spatial axis, patch is " + shape);
            }
        }
        double c1 = (K1 * dataRange) * (K1 * dataRange);
        double c2 = (K2 * dataRange) * (K2 * dataRange);
        int plane = n / shape.channels();
        int[] dims = shape.spatialDims();
        // stage[s] holds the five maps (x, y, x², y², xy) after filtering axes 0 .. s-1, reused for every chunk
        double[][][][] stage = new double[dims.length + 1][][][];
        int[] shrinking = dims.clone();
        for (int s = 0; s <= dims.length; s++) {
            stage[s] = new double[5][positions(shrinking)][Math.min(CHUNK, Math.max(count, 1))];
            if (s < dims.length) {
                shrinking[s] -= GaussianValidFilter.TAPS - 1;
            }
        }
        double[] out = new double[count];
        for (int first = 0; first < count; first += CHUNK) {
            int chunk = Math.min(CHUNK, count - first);
            for (int c = 0; c < shape.channels(); c++) {
                double[] means = channelMeans(a, b, first * n + c * plane, n, chunk, plane, dims, stage, c1, c2);
                for (int p = 0; p < chunk; p++) {
                    out[first + p] += means[p];
                }
            }
        }
        for (int p = 0; p < count; p++) {
            out[p] /= shape.channels();
        }
        return out;
    }

    private static int positions(int[] dims) {
        int p = 1;
        for (int d : dims) {
            p *= d;
        }
        return p;
    }

    /** The mean SSIM over one channel of {@code chunk} patches, the first one's channel starting at {@code from}. */
    private static double[] channelMeans(float[] a, float[] b, int from, int patchLength, int chunk, int plane,
                                         int[] dims, double[][][][] stage, double c1, double c2) {
        double[][] x = stage[0][0];
        double[][] y = stage[0][1];
        double[][] xx = stage[0][2];
        double[][] yy = stage[0][3];
        double[][] xy = stage[0][4];
        for (int i = 0; i < plane; i++) {
            double[] xi = x[i];
            double[] yi = y[i];
            double[] xxi = xx[i];
            double[] yyi = yy[i];
            double[] xyi = xy[i];
            // Position outer, patch inner: each row is written in order; the reads stride over the chunk's
            // patches, whose current cache lines stay in L1 for the next positions.
            for (int p = 0, at = from + i; p < chunk; p++, at += patchLength) {
                double u = a[at];
                double v = b[at];
                xi[p] = u;
                yi[p] = v;
                xxi[p] = u * u;
                yyi[p] = v * v;
                xyi[p] = u * v;
            }
        }
        int[] shape = dims.clone();
        for (int axis = 0; axis < dims.length; axis++) {
            for (int k = 0; k < 5; k++) {
                FILTER.filterAxis(stage[axis][k], stage[axis + 1][k], shape, axis, chunk);
            }
            shape[axis] -= GaussianValidFilter.TAPS - 1;
        }
        double[][][] m = stage[dims.length];
        double[] sum = new double[chunk];
        for (int i = 0; i < m[0].length; i++) {
            double[] mx = m[0][i];
            double[] my = m[1][i];
            double[] mxx = m[2][i];
            double[] myy = m[3][i];
            double[] mxy = m[4][i];
            for (int p = 0; p < chunk; p++) {
                double ux = mx[p];
                double uy = my[p];
                double vx = mxx[p] - ux * ux;
                double vy = myy[p] - uy * uy;
                double cxy = mxy[p] - ux * uy;
                sum[p] += ((2 * ux * uy + c1) * (2 * cxy + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
            }
        }
        for (int p = 0; p < chunk; p++) {
            sum[p] /= m[0].length;
        }
        return sum;
    }
}
