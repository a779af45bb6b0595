package io.sparkcae.jobs.score;

import io.sparkcae.core.metrics.Quantile;
import io.sparkcae.core.tensor.ChannelNormalizer;
import io.sparkcae.jobs.common.AnomalyThreshold;
import io.sparkcae.jobs.common.BroadcastModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.Arrays;

import static org.apache.spark.sql.functions.col;

/**
 * Calibrates the anomaly threshold as a quantile of the per-patch MSE on validation patches, with exactly
 * the scoring score uses (clean input, the model's normaliser), so a threshold stored by train means the
 * same thing when score applies it.
 */
public final class ThresholdCalibrator {
    private ThresholdCalibrator() {
    }

    /** The val patches' MSEs, in no particular order. */
    public static double[] valErrors(SparkSession spark, Dataset<Row> valRows, BroadcastModel model,
                                     ChannelNormalizer normalizer, int batchSize) {
        Column[] inputCols = Arrays.stream(ScoreFunction.INPUT).map(c -> col(c)).toArray(Column[]::new);
        ScoreFunction score = new ScoreFunction(model, normalizer, batchSize);
        return spark.createDataFrame(valRows.select(inputCols).javaRDD().mapPartitions(score), ScoreFunction.SCHEMA)
                .select("mse").collectAsList().stream().mapToDouble(r -> r.getDouble(0)).toArray();
    }

    public static AnomalyThreshold of(double[] valErrors, double quantile) {
        return new AnomalyThreshold("mse", quantile, Quantile.of(valErrors, quantile), valErrors.length);
    }
}
