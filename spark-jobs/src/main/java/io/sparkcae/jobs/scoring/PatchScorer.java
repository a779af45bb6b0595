package io.sparkcae.jobs.scoring;

import io.sparkcae.core.config.ConfKeys;
import io.sparkcae.core.metrics.Ssim;
import io.sparkcae.core.model.CaeModel;
import io.sparkcae.core.model.ModelForward;
import io.sparkcae.core.tensor.ChannelNormalizer;
import io.sparkcae.core.tensor.FloatCodec;
import io.sparkcae.core.tensor.InputCorruption;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.jobs.common.BroadcastModel;
import io.sparkcae.jobs.common.RowBatches;
import io.sparkcae.prep.dataset.PatchSchema;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import java.io.Serializable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import static org.apache.spark.sql.functions.col;

/**
 * The one batched inference pass of every stage: runs a broadcast model over patch rows, a batch at a time
 * inside each partition, and emits one row per patch with what was asked for: the latent vector, the per-pixel
 * MSE, L1 and SSIM, the residual (reconstruction - input). Encode, validation, threshold calibration, score,
 * rom and the library's transform all read patches through it, so an error means the same thing everywhere.
 */
public final class PatchScorer implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What a pass computes besides the MSE, which it always gives. */
    public enum Output { LATENT, L1_SSIM, RESIDUAL }

    /** Input columns, in this order. */
    public static final String[] INPUT = {PatchSchema.ID, PatchSchema.SOURCE, PatchSchema.SPLIT, PatchSchema.LABEL,
            PatchSchema.ORIGIN, PatchSchema.DATA};
    public static final String LATENT = "z";
    public static final String MSE = "mse";
    public static final String L1 = "l1";
    public static final String SSIM = "ssim";
    public static final String RESIDUAL = "residual";

    private final BroadcastModel model;
    private final ChannelNormalizer normalizer;
    private final InputCorruption corruption;
    private final int batchSize;
    private final Set<Output> outputs;

    /**
     * @param corruption when set, the model sees a corrupted copy of each batch (seeded by the batch's first id)
     *                   and the errors compare its output with the clean patch: the denoising error
     */
    public PatchScorer(BroadcastModel model, ChannelNormalizer normalizer, InputCorruption corruption, int batchSize,
                       Set<Output> outputs) {
        this.model = model;
        this.normalizer = normalizer;
        this.corruption = corruption == null || corruption.isNone() ? null : corruption;
        this.batchSize = batchSize;
        this.outputs = outputs.isEmpty() ? EnumSet.noneOf(Output.class) : EnumSet.copyOf(outputs);
    }

    public PatchScorer(BroadcastModel model, ChannelNormalizer normalizer, int batchSize, Set<Output> outputs) {
        this(model, normalizer, null, batchSize, outputs);
    }

    /** The pass over {@code patches} (prep's patch schema) as rows of {@link #schema()}. */
    public JavaRDD<Row> rows(Dataset<Row> patches) {
        Column[] input = Arrays.stream(INPUT).map(c -> col(c)).toArray(Column[]::new);
        return patches.select(input).javaRDD().mapPartitions(new Pass(this, INPUT.length - 1, INPUT.length - 1, schema()));
    }

    /** The pass over {@code patches} as a DataFrame. */
    public Dataset<Row> score(SparkSession spark, Dataset<Row> patches) {
        return spark.createDataFrame(rows(patches), schema());
    }

    /**
     * The pass over rows of any schema that holds a {@code data} column: every input column is kept and the
     * outputs are appended, the latent and the MSE under the given names (what a transformer adds).
     */
    public Dataset<Row> append(SparkSession spark, Dataset<Row> rows, String latentColumn, String errorColumn) {
        StructType out = appendedSchema(rows.schema(), outputs, latentColumn, errorColumn);
        int data = rows.schema().fieldIndex(PatchSchema.DATA);
        return spark.createDataFrame(rows.javaRDD().mapPartitions(new Pass(this, rows.schema().size(), data, out)), out);
    }

    /** {@code input} with what {@link #append} adds for these outputs. */
    public static StructType appendedSchema(StructType input, Set<Output> outputs, String latentColumn,
                                            String errorColumn) {
        List<StructField> f = new ArrayList<>(Arrays.asList(input.fields()));
        addOutputs(f, outputs, latentColumn, errorColumn);
        return DataTypes.createStructType(f);
    }

    /** id, source, split, label, origin, [z], mse, [l1, ssim], [residual]. */
    public StructType schema() {
        List<StructField> f = new ArrayList<>(List.of(
                DataTypes.createStructField(PatchSchema.ID, DataTypes.StringType, false),
                DataTypes.createStructField(PatchSchema.SOURCE, DataTypes.StringType, false),
                DataTypes.createStructField(PatchSchema.SPLIT, DataTypes.StringType, false),
                DataTypes.createStructField(PatchSchema.LABEL, DataTypes.IntegerType, true),
                DataTypes.createStructField(PatchSchema.ORIGIN, DataTypes.createArrayType(DataTypes.IntegerType, false), false)));
        addOutputs(f, outputs, LATENT, MSE);
        return DataTypes.createStructType(f);
    }

    private static void addOutputs(List<StructField> f, Set<Output> outputs, String latentColumn, String errorColumn) {
        if (outputs.contains(Output.LATENT)) {
            f.add(DataTypes.createStructField(latentColumn, DataTypes.createArrayType(DataTypes.FloatType, false), false));
        }
        f.add(DataTypes.createStructField(errorColumn, DataTypes.DoubleType, false));
        if (outputs.contains(Output.L1_SSIM)) {
            f.add(DataTypes.createStructField(L1, DataTypes.DoubleType, false));
            f.add(DataTypes.createStructField(SSIM, DataTypes.DoubleType, false));
        }
        if (outputs.contains(Output.RESIDUAL)) {
            f.add(DataTypes.createStructField(RESIDUAL, DataTypes.BinaryType, false));
        }
    }

    /** Mean per-pixel MSE of a pass (computed in Spark, one number back to the driver). */
    public static double meanMse(JavaRDD<Row> scored) {
        double[] sc = scored.map(r -> new double[]{r.<Double>getAs(MSE), 1})
                .fold(new double[]{0, 0}, (a, b) -> new double[]{a[0] + b[0], a[1] + b[1]});
        if (sc[1] == 0) {
            throw SparkCaeException.badData("no patches to score (empty split after " + ConfKeys.LABELS + "?)");
        }
        return sc[0] / sc[1];
    }

    /**
     * One partition's pass: the first {@code kept} input columns pass through, the patch bytes are at
     * {@code dataColumn}, and each output row carries {@code schema}, so callers read columns by name.
     */
    private record Pass(PatchScorer scorer, int kept, int dataColumn, StructType schema)
            implements FlatMapFunction<Iterator<Row>, Row> {
        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            CaeModel m = scorer.model.get();
            RowBatches batches = new RowBatches(rows, m.inputShape(), scorer.normalizer, scorer.batchSize, dataColumn);
            return new Iterator<>() {
                private Iterator<Row> out = java.util.Collections.emptyIterator();

                @Override
                public boolean hasNext() {
                    while (!out.hasNext() && batches.hasNext()) {
                        out = scorer.score(m, batches.next(), kept, schema).iterator();
                    }
                    return out.hasNext();
                }

                @Override
                public Row next() {
                    hasNext();
                    return out.next();
                }
            };
        }
    }

    private List<Row> score(CaeModel m, RowBatches.Batch batch, int kept, StructType schema) {
        List<Row> rows = batch.rows();
        int n = rows.size();
        PatchShape shape = m.inputShape();
        int per = shape.elementCount();
        INDArray x = batch.x();
        INDArray input = corruption == null ? x : corruption.apply(x, corruptionSeed(rows));
        float[] z = null;
        int latentSize = 0;
        INDArray recon;
        if (outputs.contains(Output.LATENT)) {
            ModelForward f = m.forward(input);
            latentSize = (int) (f.latent().length() / n);
            z = flat(f.latent(), n, latentSize);
            recon = f.reconstruction();
        } else {
            recon = m.reconstruct(input);
        }
        float[] xs = flat(x, n, per);
        float[] ys = flat(recon, n, per);
        // SSIM's 11-tap window needs at least 11 positions along every axis
        boolean ssimDefined = Arrays.stream(shape.spatialDims()).allMatch(d -> d >= 11);
        double[] ssim = outputs.contains(Output.L1_SSIM) && ssimDefined ? Ssim.ofBatch(xs, ys, n, shape, 1.0) : null;
        boolean wantResidual = outputs.contains(Output.RESIDUAL);
        List<Row> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] residual = wantResidual ? new float[per] : null;
            double se = 0;
            double ae = 0;
            for (int k = 0, at = i * per; k < per; k++, at++) {
                float d = ys[at] - xs[at];
                if (residual != null) {
                    residual[k] = d;
                }
                se += (double) d * d;
                ae += Math.abs(d);
            }
            Row r = rows.get(i);
            Object[] values = new Object[schema.size()];
            int v = 0;
            for (; v < kept; v++) {
                values[v] = r.get(v);
            }
            if (z != null) {
                values[v++] = Arrays.copyOfRange(z, i * latentSize, (i + 1) * latentSize);
            }
            values[v++] = se / per;
            if (outputs.contains(Output.L1_SSIM)) {
                values[v++] = ae / per;
                values[v++] = ssim != null ? ssim[i] : Double.NaN;
            }
            if (residual != null) {
                values[v] = FloatCodec.encode(residual);
            }
            out.add(new GenericRowWithSchema(values, schema));
        }
        return out;
    }

    /**
     * The {@code n} rows of {@code a} (each {@code per} values, C order) in one float array: one bulk copy,
     * where ND4J's toFloatMatrix makes a view and a copy per row.
     */
    private static float[] flat(INDArray a, int n, int per) {
        return a.reshape('c', n, per).dup('c').data().asFloat();
    }

    /** Seeds a batch's corruption by its first patch id: the same patches get the same noise on any cluster. */
    private static long corruptionSeed(List<Row> rows) {
        return rows.get(0).getString(0).hashCode() * 0x9E3779B97F4A7C15L;
    }
}
