package io.sparkcae.core.metrics;

import java.util.Arrays;

/**
 * Empirical quantiles with linear interpolation between order statistics — numpy's default
 * ({@code method="linear"}, R type 7) — so an anomaly threshold calibrated here (e.g. the 0.99 quantile
 * of validation errors) matches one computed in a notebook.
 */
public final class Quantile {
    private Quantile() {
    }

    /** @param q in [0, 1]; @throws IllegalArgumentException for empty input, NaN values or q outside [0, 1] */
    public static double of(double[] values, double q) {
        return ofAll(values, q)[0];
    }

    /** Several quantiles with one sort. */
    public static double[] ofAll(double[] values, double... qs) {
        if (values.length == 0) {
            throw new IllegalArgumentException("quantile of no values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        // Arrays.sort puts NaN last; numpy would return NaN, a silent poison for a threshold.
        if (Double.isNaN(sorted[sorted.length - 1])) {
            throw new IllegalArgumentException("values contain NaN");
        }
        double[] out = new double[qs.length];
        for (int i = 0; i < qs.length; i++) {
            out[i] = ofSorted(sorted, qs[i]);
        }
        return out;
    }

    /** On values already sorted ascending. */
    static double ofSorted(double[] sorted, double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be in [0, 1], got " + q);
        }
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        if (lo >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        double t = h - lo;
        double a = sorted[lo];
        double b = sorted[lo + 1];
        double diff = b - a;
        // numpy's _lerp: interpolate from the nearer end so q=1 gives b exactly and the result is monotone.
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
    }
}
