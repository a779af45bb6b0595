package io.sparkcae.core.metrics;

/**
 * Area under the precision–recall curve as average precision, step-wise (no interpolation):
 * AP = Σ (R_k − R_{k−1}) · P_k over descending score thresholds, tied scores forming one threshold.
 * Same definition as scikit-learn's {@code average_precision_score}; unlike the trapezoidal PR area it
 * is not optimistic when precision jumps between thresholds. Reads better than ROC-AUC when positives
 * (anomalies) are rare.
 */
public final class PrAuc {
    private PrAuc() {
    }

    /** @throws IllegalArgumentException when lengths differ, a score is NaN, or either class is absent */
    public static double of(double[] scores, boolean[] positive) {
        ScoreTies t = ScoreTies.of(scores, positive);
        double ap = 0;
        long tp = 0;
        long fp = 0;
        for (int g = 0; g < t.groups(); g++) {
            tp += t.positives[g];
            fp += t.negatives[g];
            if (t.positives[g] > 0) {
                double recallStep = (double) t.positives[g] / t.totalPositives;
                ap += recallStep * tp / (tp + fp);
            }
        }
        return ap;
    }
}
