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
    private static final int RADIUS = 5; // int(3.5 * 1.5 + 0.5), scikit-image's truncate = 3.5
    private static final double K1 = 0.01;
    private static final double K2 = 0.03;
    private static final GaussianValidFilter FILTER = new GaussianValidFilter(SIGMA, RADIUS);

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
        if (!(dataRange > 0)) {
            throw new IllegalArgumentException("data range must be positive, got " + dataRange);
        }
        for (int s : shape.spatialDims()) {
            if (s < FILTER.taps()) {
                throw new IllegalArgumentException("SSIM needs at least " + FILTER.taps() + " values along every spatial axis, patch is " + shape);
            }
        }
        double c1 = (K1 * dataRange) * (K1 * dataRange);
        double c2 = (K2 * dataRange) * (K2 * dataRange);
        int plane = n / shape.channels();
        double sum = 0;
        for (int c = 0; c < shape.channels(); c++) {
            sum += channelMean(a, b, c * plane, plane, shape.spatialDims(), c1, c2);
        }
        return sum / shape.channels();
    }

    private static double channelMean(float[] a, float[] b, int offset, int plane, int[] dims, double c1, double c2) {
        double[] x = new double[plane];
        double[] y = new double[plane];
        double[] xx = new double[plane];
        double[] yy = new double[plane];
        double[] xy = new double[plane];
        for (int i = 0; i < plane; i++) {
            double u = a[offset + i];
            double v = b[offset + i];
            x[i] = u;
            y[i] = v;
            xx[i] = u * u;
            yy[i] = v * v;
            xy[i] = u * v;
        }
        double[] mx = FILTER.filterAllAxes(x, dims.clone());
        double[] my = FILTER.filterAllAxes(y, dims.clone());
        double[] mxx = FILTER.filterAllAxes(xx, dims.clone());
        double[] myy = FILTER.filterAllAxes(yy, dims.clone());
        double[] mxy = FILTER.filterAllAxes(xy, dims.clone());
        double sum = 0;
        for (int i = 0; i < mx.length; i++) {
            double ux = mx[i];
            double uy = my[i];
            double vx = mxx[i] - ux * ux;
            double vy = myy[i] - uy * uy;
            double cxy = mxy[i] - ux * uy;
            sum += ((2 * ux * uy + c1) * (2 * cxy + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
        }
        return sum / mx.length;
    }
}
