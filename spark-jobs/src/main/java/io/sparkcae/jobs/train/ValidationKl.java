package io.sparkcae.jobs.train;

import io.sparkcae.core.model.CaeModel;
import io.sparkcae.core.model.layers.VariationalLatent;
import io.sparkcae.core.tensor.ChannelNormalizer;
import io.sparkcae.jobs.common.BroadcastModel;
import io.sparkcae.jobs.common.RowBatches;
import io.sparkcae.prep.dataset.PatchSchema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * Mean KL divergence per val patch of a variational model's code distribution from the prior N(0, I)
 * (unweighted by beta), computed on the executors: one number per epoch for metrics.jsonl and the log.
 */
final class ValidationKl {
    private ValidationKl() {
    }

    static double mean(Dataset<Row> valRows, BroadcastModel model, ChannelNormalizer normalizer, int batchSize) {
        double[] sum = valRows.select(col(PatchSchema.DATA)).javaRDD().mapPartitions(it -> {
            CaeModel m = model.get();
            RowBatches batches = new RowBatches(it, m.inputShape(), normalizer, batchSize, 0);
            double kl = 0;
            long n = 0;
            while (batches.hasNext()) {
                RowBatches.Batch b = batches.next();
                kl += VariationalLatent.klPerExample(m.latentDistribution(b.x())).sumNumber().doubleValue();
                n += b.rows().size();
            }
            return List.of(new double[]{kl, n}).iterator();
        }).fold(new double[]{0, 0}, (a, b) -> new double[]{a[0] + b[0], a[1] + b[1]});
        return sum[1] == 0 ? Double.NaN : sum[0] / sum[1];
    }
}
