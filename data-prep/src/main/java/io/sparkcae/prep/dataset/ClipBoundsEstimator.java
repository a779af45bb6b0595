package io.sparkcae.prep.dataset;

import io.sparkcae.core.metrics.Quantile;
import io.sparkcae.core.tensor.FloatCodec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * Per-channel percentile bounds of the train split for clipping outliers before normalisation. Exact
 * percentiles would need a sort of every value; a seeded Bernoulli sample of patches holding about
 * {@value #TARGET_VALUES} values per channel estimates them well for the 0.1-99.9 range users clip at.
 */
public final class ClipBoundsEstimator {
    static final long TARGET_VALUES = 2_000_000L;

    private ClipBoundsEstimator() {
    }

    /** @return {low[channel], high[channel]} for the given percentiles (0-100) */
    public static double[][] estimate(Dataset<Row> trainRows, long trainPatches, int channels, int patchElements,
                                      double lowPercentile, double highPercentile, long seed) {
        long perChannelPerPatch = patchElements / channels;
        double fraction = Math.min(1.0, TARGET_VALUES / (double) Math.max(1, trainPatches * perChannelPerPatch));
        ParquetReadTuning.forPatchBytes(trainRows.sparkSession(), (long) patchElements * Float.BYTES);
        List<Row> sample = trainRows.select(col(PatchSchema.DATA)).sample(false, fraction, seed).collectAsList();
        if (sample.isEmpty()) {
            sample = trainRows.select(col(PatchSchema.DATA)).limit(1).collectAsList();
        }
        double[][] values = new double[channels][(int) (sample.size() * perChannelPerPatch)];
        int at = 0;
        for (Row r : sample) {
            float[] patch = FloatCodec.decode((byte[]) r.get(0));
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < perChannelPerPatch; i++) {
                    values[c][at + i] = patch[(int) (c * perChannelPerPatch + i)];
                }
            }
            at += (int) perChannelPerPatch;
        }
        double[][] bounds = new double[2][channels];
        for (int c = 0; c < channels; c++) {
            bounds[0][c] = Quantile.of(values[c], lowPercentile / 100.0);
            bounds[1][c] = Quantile.of(values[c], highPercentile / 100.0);
        }
        return bounds;
    }
}
