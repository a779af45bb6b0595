package io.sparkcae.core.metrics;

/**
 * ROC curve points for plotting: one point per distinct score threshold (a sample is called positive
 * when its score is {@code >=} the threshold), starting at (0, 0) with threshold +∞ and ending at (1, 1).
 * Every threshold is kept (no dropping of collinear points) so a plot shows the staircase as it is.
 *
 * @param fpr        false positive rate per point, non-decreasing
 * @param tpr        true positive rate per point, non-decreasing
 * @param thresholds the threshold of each point, descending; the first is +∞
 */
public record RocCurve(double[] fpr, double[] tpr, double[] thresholds) {

    /** @throws IllegalArgumentException when lengths differ, a score is NaN, or either class is absent */
    public static RocCurve points(double[] scores, boolean[] positive) {
        ScoreTies t = ScoreTies.of(scores, positive);
        int n = t.groups() + 1;
        double[] fpr = new double[n];
        double[] tpr = new double[n];
        double[] thr = new double[n];
        thr[0] = Double.POSITIVE_INFINITY;
        long tp = 0;
        long fp = 0;
        for (int g = 0; g < t.groups(); g++) {
            tp += t.positives[g];
            fp += t.negatives[g];
            tpr[g + 1] = (double) tp / t.totalPositives;
            fpr[g + 1] = (double) fp / t.totalNegatives;
            thr[g + 1] = t.values[g];
        }
        return new RocCurve(fpr, tpr, thr);
    }

    public int size() {
        return fpr.length;
    }
}
