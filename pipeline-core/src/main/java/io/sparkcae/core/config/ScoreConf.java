package io.sparkcae.core.config;

import java.io.Serializable;

/**
 * Anomaly scoring ({@code sparkcae.score.*}): the threshold quantile, which labels are normal, which score the
 * threshold and the anomaly flag use, and the settings of the latent-space scores (k-nearest-neighbour count,
 * how many training latents kNN compares against, the covariance ridge of the Mahalanobis distance).
 */
public record ScoreConf(double thresholdQuantile, int[] normalLabels, int residualMaps, Method method, int knnK,
                        int knnMaxTrain, double latentRidge) implements Serializable {

    /** The per-patch score that the threshold and the {@code flagged} column use. */
    public enum Method {
        /** Reconstruction MSE (per pixel). */
        MSE("mse"),
        /** Mahalanobis distance of the latent to the training latents' mean and covariance. */
        MAHALANOBIS("latent_mahalanobis"),
        /** Mean Euclidean distance of the latent to its k nearest training latents. */
        KNN("latent_knn"),
        /** Mean of the three scores above, each standardised by its mean and std on the val split. */
        COMBINED("combined");

        private final String column;

        Method(String column) {
            this.column = column;
        }

        /** The column of score's output (and the metric name) that holds this score. */
        public String column() {
            return column;
        }
    }

    public ScoreConf {
        normalLabels = normalLabels.clone();
    }

    static ScoreConf read(ConfReader r) {
        double q = r.nonNegative("threshold-quantile");
        if (q > 1) {
            throw r.bad("threshold-quantile", "must be in [0, 1], got " + q);
        }
        int k = r.intAtLeast("knn-k", 1);
        int maxTrain = r.intAtLeast("knn-max-train", 2);
        if (maxTrain <= k) {
            throw r.bad("knn-max-train", "must be greater than " + ConfKeys.KNN_K + " (" + k + "), got " + maxTrain);
        }
        return new ScoreConf(q, r.intsOrEmpty("normal-labels"), r.intAtLeast("residual-maps", 0),
                r.oneOf("method", Method.class), k, maxTrain, r.positive("latent-ridge"));
    }

    @Override
    public int[] normalLabels() {
        return normalLabels.clone();
    }
}
