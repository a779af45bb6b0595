package io.sparkcae.jobs.common;

import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.model.CaeModel;
import io.sparkcae.core.model.ModelForward;
import io.sparkcae.core.tensor.ChannelNormalizer;
import io.sparkcae.core.tensor.InputCorruption;
import io.sparkcae.prep.dataset.PatchSchema;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * Runs a broadcast model over patch rows, batch by batch inside each partition, and yields one output row
 * per patch: {@code id, split, label, z, recon_mse}. Used by encode (all columns), by training's
 * validation pass (only recon_mse is aggregated) and, keeping the input columns, by the Spark ML model.
 */
public final class PatchInference {
    public static final StructType OUTPUT_SCHEMA = new StructType(new StructField[]{
            DataTypes.createStructField("id", DataTypes.StringType, false),
            DataTypes.createStructField("split", DataTypes.StringType, false),
            DataTypes.createStructField("label", DataTypes.IntegerType, true),
            DataTypes.createStructField("z", DataTypes.createArrayType(DataTypes.FloatType, false), true),
            DataTypes.createStructField("recon_mse", DataTypes.DoubleType, false)});

    private PatchInference() {
    }

    /** @param withLatents false skips the latent column (validation only needs the error). */
    public static JavaRDD<Row> run(Dataset<Row> patches, BroadcastModel model, ChannelNormalizer normalizer,
                                   int batchSize, boolean withLatents) {
        return run(patches, model, normalizer, null, batchSize, withLatents);
    }

    /**
     * @param corruption when set, the model sees a corrupted copy of each batch (seeded by the batch's first
     *                   id) and recon_mse compares its output with the clean patch: the denoising error
     */
    public static JavaRDD<Row> run(Dataset<Row> patches, BroadcastModel model, ChannelNormalizer normalizer,
                                   InputCorruption corruption, int batchSize, boolean withLatents) {
        return patches.select(col(PatchSchema.ID), col(PatchSchema.SPLIT), col(PatchSchema.LABEL), col(PatchSchema.DATA))
                .javaRDD()
                .mapPartitions(it -> new BatchIterator(it, 3, model.get(), normalizer, corruption, batchSize, withLatents,
                        PatchInference::outputRow));
    }

    /**
     * The same pass over rows of any schema holding a {@code data} column: every input column is kept and the
     * latent (array&lt;float&gt;) and reconstruction MSE (double) are appended, in that order, as
     * {@link #appendedSchema} describes. What a transformer adds to a DataFrame.
     */
    public static JavaRDD<Row> append(Dataset<Row> patches, BroadcastModel model, ChannelNormalizer normalizer,
                                      int batchSize) {
        int dataColumn = patches.schema().fieldIndex(PatchSchema.DATA);
        return patches.javaRDD().mapPartitions(it -> new BatchIterator(it, dataColumn, model.get(), normalizer, null,
                batchSize, true, PatchInference::appendedRow));
    }

    /** The input schema with the latent and reconstruction-error columns {@link #append} adds. */
    public static StructType appendedSchema(StructType input, String latentColumn, String errorColumn) {
        return input.add(DataTypes.createStructField(latentColumn, DataTypes.createArrayType(DataTypes.FloatType, false), false))
                .add(DataTypes.createStructField(errorColumn, DataTypes.DoubleType, false));
    }

    /** Builds one output row from an input row, its latent (null when not computed) and its MSE. */
    private interface RowOut extends java.io.Serializable {
        Row of(Row in, float[] latent, double mse);
    }

    private static Row outputRow(Row r, float[] z, double mse) {
        return RowFactory.create(r.getString(0), r.getString(1), r.isNullAt(2) ? null : r.getInt(2), z, mse);
    }

    private static Row appendedRow(Row r, float[] z, double mse) {
        Object[] values = new Object[r.length() + 2];
        for (int i = 0; i < r.length(); i++) {
            values[i] = r.get(i);
        }
        values[r.length()] = z;
        values[r.length() + 1] = mse;
        return RowFactory.create(values);
    }

    /** Mean per-pixel MSE of the rows (computed in Spark, one number back to the driver). */
    public static double meanMse(JavaRDD<Row> scored) {
        double[] sc = scored.map(r -> new double[]{r.getDouble(4), 1})
                .fold(new double[]{0, 0}, (a, b) -> new double[]{a[0] + b[0], a[1] + b[1]});
        if (sc[1] == 0) {
            throw SparkCaeException.badData("no patches to score (empty split after sparkcae.train.labels?)");
        }
        return sc[0] / sc[1];
    }

    private static final class BatchIterator implements Iterator<Row> {
        private final RowBatches batches;
        private final CaeModel model;
        private final InputCorruption corruption;
        private final boolean withLatents;
        private final RowOut rowOut;
        private Iterator<Row> out = java.util.Collections.emptyIterator();

        BatchIterator(Iterator<Row> in, int dataColumn, CaeModel model, ChannelNormalizer normalizer,
                      InputCorruption corruption, int batchSize, boolean withLatents, RowOut rowOut) {
            this.batches = new RowBatches(in, model.inputShape(), normalizer, batchSize, dataColumn);
            this.model = model;
            this.corruption = corruption;
            this.withLatents = withLatents;
            this.rowOut = rowOut;
        }

        @Override
        public boolean hasNext() {
            if (!out.hasNext() && batches.hasNext()) {
                out = nextBatch(batches.next()).iterator();
            }
            return out.hasNext();
        }

        @Override
        public Row next() {
            hasNext();
            return out.next();
        }

        private List<Row> nextBatch(RowBatches.Batch batch) {
            List<Row> rows = batch.rows();
            INDArray x = batch.x();
            INDArray input = corruption == null || corruption.isNone() ? x
                    : corruption.apply(x, corruptionSeed(rows));
            INDArray z = null;
            INDArray recon;
            if (withLatents) {
                ModelForward f = model.forward(input);
                z = f.latent();
                recon = f.reconstruction();
            } else {
                recon = model.reconstruct(input);
            }
            int n = rows.size();
            long per = x.length() / n;
            INDArray diff = recon.sub(x);
            INDArray mse = diff.muli(diff).reshape(n, per).mean(1);
            float[][] zs = z == null ? null : z.toFloatMatrix();
            List<Row> result = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                result.add(rowOut.of(rows.get(i), zs == null ? null : zs[i], mse.getDouble(i)));
            }
            return result;
        }
    }

    /** Seeds a batch's corruption by its first patch id: the same patches get the same noise on any cluster. */
    public static long corruptionSeed(List<Row> rows) {
        return rows.get(0).getString(0).hashCode() * 0x9E3779B97F4A7C15L;
    }
}
