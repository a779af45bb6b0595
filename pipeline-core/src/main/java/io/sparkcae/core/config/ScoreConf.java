package io.sparkcae.core.config;

import java.io.Serializable;

/** Anomaly scoring ({@code sparkcae.score.*}). */
public record ScoreConf(double thresholdQuantile, int[] normalLabels, int residualMaps) implements Serializable {
    static ScoreConf read(ConfReader r) {
        double q = r.nonNegative("threshold-quantile");
        if (q > 1) {
            throw r.bad("threshold-quantile", "must be in [0, 1], got " + q);
        }
        return new ScoreConf(q, r.intsOrEmpty("normal-labels"), r.intAtLeast("residual-maps", 0));
    }
}
