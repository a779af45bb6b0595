package io.sparkcae.core.metrics;

import java.util.Arrays;

/**
 * Scores grouped by distinct value, highest first, with the number of positives and negatives in each
 * group. ROC-AUC, average precision and the ROC curve all walk these groups: treating each group as one
 * threshold is what makes tied scores count half (Mann–Whitney) instead of depending on input order.
 * Built from two primitive sorts rather than an index sort, so millions of scores cost no boxing.
 */
final class ScoreTies {
    /** Distinct scores, descending. */
    final double[] values;
    /** Positives whose score equals {@code values[g]}. */
    final long[] positives;
    /** Negatives whose score equals {@code values[g]}. */
    final long[] negatives;
    final long totalPositives;
    final long totalNegatives;

    private ScoreTies(double[] values, long[] positives, long[] negatives, long p, long n) {
        this.values = values;
        this.positives = positives;
        this.negatives = negatives;
        this.totalPositives = p;
        this.totalNegatives = n;
    }

    int groups() {
        return values.length;
    }

    /** @throws IllegalArgumentException on length mismatch, a NaN score, or when a class is absent */
    static ScoreTies of(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + positive.length + " labels");
        }
        int p = 0;
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is NaN");
            }
            if (positive[i]) {
                p++;
            }
        }
        int n = scores.length - p;
        if (p == 0 || n == 0) {
            throw new IllegalArgumentException("needs both classes, got " + p + " positives and " + n + " negatives");
        }
        double[] pos = new double[p];
        double[] neg = new double[n];
        for (int i = 0, a = 0, b = 0; i < scores.length; i++) {
            if (positive[i]) {
                pos[a++] = scores[i];
            } else {
                neg[b++] = scores[i];
            }
        }
        Arrays.sort(pos);
        Arrays.sort(neg);
        double[] values = new double[p + n];
        long[] pc = new long[p + n];
        long[] nc = new long[p + n];
        int g = 0;
        int i = p - 1;
        int j = n - 1;
        while (i >= 0 || j >= 0) {
            // The larger remaining score opens the next group; == (not Double.compare) so -0.0 ties 0.0.
            double v = i < 0 ? neg[j] : j < 0 ? pos[i] : Math.max(pos[i], neg[j]);
            long cp = 0;
            long cn = 0;
            while (i >= 0 && pos[i] == v) {
                cp++;
                i--;
            }
            while (j >= 0 && neg[j] == v) {
                cn++;
                j--;
            }
            values[g] = v;
            pc[g] = cp;
            nc[g] = cn;
            g++;
        }
        return new ScoreTies(Arrays.copyOf(values, g), Arrays.copyOf(pc, g), Arrays.copyOf(nc, g), p, n);
    }
}
