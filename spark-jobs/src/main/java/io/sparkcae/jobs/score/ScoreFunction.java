package io.sparkcae.jobs.score;

import io.sparkcae.core.metrics.Ssim;
import io.sparkcae.core.model.CaeModel;
import io.sparkcae.core.tensor.ChannelNormalizer;
import io.sparkcae.core.tensor.FloatCodec;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.common.BroadcastModel;
import io.sparkcae.jobs.common.RowBatches;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Spark task body of score: reconstructs each patch and emits its errors (per-pixel MSE and L1, SSIM) and
 * its residual (reconstruction - input, float32 bytes, for residual maps and reassembly).
 */
public final class ScoreFunction implements FlatMapFunction<Iterator<Row>, Row> {
    private static final long serialVersionUID = 1L;
    public static final StructType SCHEMA = new StructType(new StructField[]{
            DataTypes.createStructField("id", DataTypes.StringType, false),
            DataTypes.createStructField("source", DataTypes.StringType, false),
            DataTypes.createStructField("split", DataTypes.StringType, false),
            DataTypes.createStructField("label", DataTypes.IntegerType, true),
            DataTypes.createStructField("origin", DataTypes.createArrayType(DataTypes.IntegerType, false), false),
            DataTypes.createStructField("mse", DataTypes.DoubleType, false),
            DataTypes.createStructField("l1", DataTypes.DoubleType, false),
            DataTypes.createStructField("ssim", DataTypes.DoubleType, false),
            DataTypes.createStructField("residual", DataTypes.BinaryType, false)});
    /** Input columns, in this order: id, source, split, label, origin, data. */
    public static final String[] INPUT = {"id", "source", "split", "label", "origin", "data"};

    private final BroadcastModel model;
    private final ChannelNormalizer normalizer;
    private final int batchSize;

    public ScoreFunction(BroadcastModel model, ChannelNormalizer normalizer, int batchSize) {
        this.model = model;
        this.normalizer = normalizer;
        this.batchSize = batchSize;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        CaeModel m = model.get();
        PatchShape shape = m.inputShape();
        RowBatches batches = new RowBatches(rows, shape, normalizer, batchSize, 5);
        // SSIM's 11-tap window needs at least 11 positions along every axis.
        boolean ssimDefined = java.util.Arrays.stream(shape.spatialDims()).allMatch(d -> d >= 11);
        List<Row> out = new ArrayList<>();
        while (batches.hasNext()) {
            RowBatches.Batch b = batches.next();
            int n = b.rows().size();
            int per = shape.elementCount();
            float[][] x = b.x().reshape(n, per).toFloatMatrix();
            INDArray recon = m.reconstruct(b.x());
            float[][] y = recon.reshape(n, per).toFloatMatrix();
            for (int i = 0; i < n; i++) {
                Row r = b.rows().get(i);
                float[] residual = new float[per];
                double se = 0;
                double ae = 0;
                for (int k = 0; k < per; k++) {
                    float d = y[i][k] - x[i][k];
                    residual[k] = d;
                    se += (double) d * d;
                    ae += Math.abs(d);
                }
                out.add(RowFactory.create(r.getString(0), r.getString(1), r.getString(2),
                        r.isNullAt(3) ? null : r.getInt(3), r.get(4), se / per, ae / per,
                        ssimDefined ? Ssim.of(x[i], y[i], shape, 1.0) : Double.NaN, FloatCodec.encode(residual)));
            }
        }
        return out.iterator();
    }
}
