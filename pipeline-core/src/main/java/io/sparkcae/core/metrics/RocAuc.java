package io.sparkcae.core.metrics;

/**
 * Exact area under the ROC curve for anomaly scores (higher = more likely positive). Computed as the
 * Mann–Whitney statistic: the fraction of (positive, negative) pairs ranked correctly, a tie counting
 * one half — equal to the trapezoidal area under {@link RocCurve} and to the average-rank formula.
 */
public final class RocAuc {
    private RocAuc() {
    }

    /**
     * @param scores   one score per sample, no NaN
     * @param positive whether each sample belongs to the positive (e.g. anomalous) class
     * @throws IllegalArgumentException when lengths differ, a score is NaN, or either class is absent
     */
    public static double of(double[] scores, boolean[] positive) {
        ScoreTies t = ScoreTies.of(scores, positive);
        double correct = 0;
        long positivesAbove = 0;
        for (int g = 0; g < t.groups(); g++) {
            // Every negative in this group is beaten by all positives above it and ties with those in it.
            correct += t.negatives[g] * (positivesAbove + t.positives[g] / 2.0);
            positivesAbove += t.positives[g];
        }
        return correct / ((double) t.totalPositives * t.totalNegatives);
    }
}
