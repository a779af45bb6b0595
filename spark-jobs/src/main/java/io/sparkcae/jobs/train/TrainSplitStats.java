package io.sparkcae.jobs.train;

import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.metrics.ChannelStats;
import io.sparkcae.core.tensor.FloatCodec;
import io.sparkcae.prep.dataset.Manifest;
import io.sparkcae.prep.dataset.PatchSchema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * Per-channel statistics of a train split that did not come with a manifest (a DataFrame handed to the
 * Spark ML estimator): the figures prep gathers while writing ({@code TrainStatsAccumulator}), here in one
 * aggregate over the rows. Percentile clip bounds are not estimated.
 */
public final class TrainSplitStats {
    private TrainSplitStats() {
    }

    public static List<Manifest.ChannelStat> of(Dataset<Row> trainRows, int channels) {
        ChannelStats total = trainRows.select(col(PatchSchema.DATA)).javaRDD()
                .mapPartitions(it -> {
                    ChannelStats s = new ChannelStats(channels);
                    it.forEachRemaining(r -> s.add(FloatCodec.decode((byte[]) r.get(0))));
                    return Collections.singletonList(s).iterator();
                })
                .reduce(ChannelStats::merge);
        if (total.count(0) == 0) {
            throw SparkCaeException.badData("no train patches: the statistics of the normaliser need at least one");
        }
        List<Manifest.ChannelStat> out = new ArrayList<>(channels);
        for (int c = 0; c < channels; c++) {
            out.add(new Manifest.ChannelStat(c, total.mean(c), total.std(c), total.min(c), total.max(c)));
        }
        return out;
    }
}
