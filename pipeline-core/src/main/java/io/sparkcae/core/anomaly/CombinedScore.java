package io.sparkcae.core.anomaly;

import java.io.Serializable;

/**
 * One anomaly score from several: the mean of each score's z-score, (s − μ) / σ, with μ and σ that score's
 * mean and standard deviation on validation patches of the normal class. Each score then counts in units
 * of its own spread on normal data, whatever its scale (a per-pixel MSE of 0.01 and a latent distance of
 * 8 weigh the same when both sit two standard deviations above normal), and a patch's combined score does
 * not depend on what else is scored. Ranks taken over the scored set would depend on it, and ranks against
 * the validation set stop at its maximum, so every strong anomaly would tie.
 */
public final class CombinedScore implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double[] means;
    private final double[] stds;

    private CombinedScore(double[] means, double[] stds) {
        this.means = means;
        this.stds = stds;
    }

    /**
     * @param validation {@code validation[c][i]}: score c of validation patch i; at least two patches, no NaN
     */
    public static CombinedScore fit(double[][] validation) {
        int c = validation.length;
        double[] means = new double[c];
        double[] stds = new double[c];
        for (int s = 0; s < c; s++) {
            double[] v = validation[s];
            if (v.length < 2) {
                throw new IllegalArgumentException("a z-score needs at least 2 validation values, got " + v.length);
            }
            double mean = 0;
            for (double x : v) {
                if (Double.isNaN(x)) {
                    throw new IllegalArgumentException("validation score " + s + " contains NaN");
                }
                mean += x;
            }
            mean /= v.length;
            double ss = 0;
            for (double x : v) {
                ss += (x - mean) * (x - mean);
            }
            double std = Math.sqrt(ss / (v.length - 1));
            means[s] = mean;
            // a score constant on normal data would divide by zero; its deviations then count in units of
            // a tiny fraction of its level instead
            stds[s] = std > 0 ? std : Math.max(Math.abs(mean) * 1e-12, Double.MIN_NORMAL);
        }
        return new CombinedScore(means, stds);
    }

    public int components() {
        return means.length;
    }

    public double mean(int component) {
        return means[component];
    }

    public double std(int component) {
        return stds[component];
    }

    /** The combined score of one patch, given its component scores in the order of {@link #fit}. */
    public double of(double... scores) {
        if (scores.length != means.length) {
            throw new IllegalArgumentException(scores.length + " scores, expected " + means.length);
        }
        double sum = 0;
        for (int s = 0; s < scores.length; s++) {
            sum += (scores[s] - means[s]) / stds[s];
        }
        return sum / scores.length;
    }
}
