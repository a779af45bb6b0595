package io.sparkcae.core.metrics;

/** Per-patch reconstruction error figures, as users compare them with PCA and PyTorch: per pixel. */
public final class ReconstructionError {
    private ReconstructionError() {
    }

    public static double mse(float[] a, int aOffset, float[] b, int bOffset, int length) {
        double s = 0;
        for (int i = 0; i < length; i++) {
            double d = a[aOffset + i] - b[bOffset + i];
            s += d * d;
        }
        return s / length;
    }

    /** Peak signal-to-noise ratio in dB for data whose peak value is {@code peak}. */
    public static double psnr(double mse, double peak) {
        if (mse <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        return 10.0 * Math.log10(peak * peak / mse);
    }
}
