package io.sparkcae.jobs.scoring;

import io.sparkcae.core.metrics.Quantile;
import io.sparkcae.core.tensor.ChannelNormalizer;
import io.sparkcae.jobs.common.AnomalyThreshold;
import io.sparkcae.jobs.common.BroadcastModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Set;

/**
 * Calibrates the anomaly threshold as a quantile of the per-patch MSE on validation patches, with the one
 * scoring pass ({@link PatchScorer}, clean input, the model's normaliser), so a threshold stored by train
 * means the same thing when score applies it.
 */
public final class ThresholdCalibrator {
    private ThresholdCalibrator() {
    }

    /** The val patches' MSEs, in no particular order. */
    public static double[] valErrors(Dataset<Row> valRows, BroadcastModel model, ChannelNormalizer normalizer,
                                     int batchSize) {
        return new PatchScorer(model, normalizer, batchSize, Set.of()).rows(valRows)
                .map(r -> r.<Double>getAs(PatchScorer.MSE)).collect().stream().mapToDouble(Double::doubleValue).toArray();
    }

    public static AnomalyThreshold of(double[] valErrors, double quantile) {
        return new AnomalyThreshold("mse", quantile, Quantile.of(valErrors, quantile), valErrors.length);
    }
}
