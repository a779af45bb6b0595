package io.sparkcae.jobs.scoring;

import io.sparkcae.core.anomaly.CombinedScore;
import io.sparkcae.core.config.ScoreConf;
import io.sparkcae.core.tensor.ChannelNormalizer;
import io.sparkcae.jobs.common.BroadcastModel;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.EnumSet;
import java.util.List;

/**
 * Every anomaly score of the validation patches of the normal labels, from one pass (position i of each
 * array is the same patch): what calibrates the threshold of any {@code score.method} and standardises the
 * scores that {@code combined} averages.
 */
public record ValidationScores(double[] mse, double[] mahalanobis, double[] knn) {

    /** @param reference null when the model's latents get no latent scores (those arrays are then NaN) */
    public static ValidationScores of(Dataset<Row> valRows, BroadcastModel model, ChannelNormalizer normalizer,
                                      int batchSize, Broadcast<LatentReference> reference) {
        PatchScorer scorer = new PatchScorer(model, normalizer, batchSize, EnumSet.of(PatchScorer.Output.LATENT));
        List<double[]> rows = LatentScoreColumns.append(scorer.rows(valRows), scorer.schema(), reference, null, false,
                        batchSize)
                .map(r -> new double[]{r.<Double>getAs(PatchScorer.MSE), r.<Double>getAs(LatentScoreColumns.MAHALANOBIS),
                        r.<Double>getAs(LatentScoreColumns.KNN)})
                .collect();
        int n = rows.size();
        double[] mse = new double[n];
        double[] mahalanobis = new double[n];
        double[] knn = new double[n];
        for (int i = 0; i < n; i++) {
            mse[i] = rows.get(i)[0];
            mahalanobis[i] = rows.get(i)[1];
            knn[i] = rows.get(i)[2];
        }
        return new ValidationScores(mse, mahalanobis, knn);
    }

    /** The z-scoring of mse, latent_mahalanobis and latent_knn (in that order) by their validation statistics. */
    public CombinedScore combined() {
        return CombinedScore.fit(new double[][]{mse, mahalanobis, knn});
    }

    /** The validation values of one method's score. */
    public double[] of(ScoreConf.Method method, CombinedScore combined) {
        return switch (method) {
            case MSE -> mse;
            case MAHALANOBIS -> mahalanobis;
            case KNN -> knn;
            case COMBINED -> {
                double[] c = new double[mse.length];
                for (int i = 0; i < c.length; i++) {
                    c[i] = combined.of(mse[i], mahalanobis[i], knn[i]);
                }
                yield c;
            }
        };
    }
}
