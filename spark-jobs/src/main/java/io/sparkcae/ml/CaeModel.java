package io.sparkcae.ml;

import io.sparkcae.core.config.ConfKeys;
import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.common.AnomalyThreshold;
import io.sparkcae.jobs.common.BroadcastModel;
import io.sparkcae.jobs.common.ModelMetadata;
import io.sparkcae.jobs.common.ModelStore;
import io.sparkcae.jobs.scoring.PatchScorer;
import io.sparkcae.prep.dataset.PatchSchema;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Option;

import java.io.IOException;

import static org.apache.spark.sql.functions.col;

/**
 * A fitted convolutional autoencoder: the network, the normaliser it was trained with and (when fitted)
 * the anomaly threshold, i.e. exactly what a {@code sparkcae train} model directory holds.
 *
 * <p>{@link #transform} keeps every input column and appends
 * <ul>
 *   <li>{@code latent} ({@link #latentCol}): the code, as {@code array<float>} (the {@code z} column that
 *       {@code sparkcae encode} writes; wrap it with {@code array_to_vector} for an ML {@code Vector});</li>
 *   <li>{@code recon_error} ({@link #reconErrorCol}): the per-pixel mean squared reconstruction error, double;</li>
 *   <li>{@code anomaly} ({@link #anomalyCol}), only when the model carries a threshold: boolean,
 *       {@code recon_error > threshold}, the rule of {@code sparkcae score}.</li>
 * </ul>
 * The input needs a {@code data} column (binary, float32 little-endian, C-order) of patches of the shape
 * the model was trained on; the other patch-schema columns are optional here.
 *
 * <p>Persistence: {@link #save}/{@link #write} and {@link #load}/{@link #read} use the Spark session's Hadoop
 * configuration, so any Hadoop path works (file:, hdfs:, s3a:, ...). The directory is the train stage's
 * model directory ({@code model.zip} + {@code model.json}) plus Spark ML's {@code metadata/} (the Params),
 * so {@code sparkcae encode --model DIR} reads a saved model and {@code load} reads a {@code sparkcae train}
 * output.
 */
public final class CaeModel extends Model<CaeModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    /** transform computes the latent besides the reconstruction error (always given). */
    private static final java.util.Set<PatchScorer.Output> OUTPUTS = java.util.Set.of(PatchScorer.Output.LATENT);
    /** Spark ML's Params of a saved stage live in this sub-directory of the model directory. */
    static final String PARAMS_DIR = "metadata";
    static final String DEFAULT_LATENT_COL = "latent";
    static final String DEFAULT_RECON_ERROR_COL = "recon_error";
    static final String DEFAULT_ANOMALY_COL = "anomaly";

    private final String uid;
    private final io.sparkcae.core.model.CaeModel network;
    private final ModelMetadata metadata;
    private final IntParam inferenceBatchSize;
    private final Param<String> latentCol;
    private final Param<String> reconErrorCol;
    private final Param<String> anomalyCol;
    private transient BroadcastModel broadcast;
    private transient SparkContext broadcastContext;

    CaeModel(String uid, io.sparkcae.core.model.CaeModel network, ModelMetadata metadata) {
        this.uid = uid;
        this.network = network;
        this.metadata = metadata;
        inferenceBatchSize = new IntParam(this, "inferenceBatchSize", "patches per inference batch (config key "
                + ConfKeys.INFERENCE_BATCH_SIZE + ")", ParamValidators.gtEq(1));
        setDefault(inferenceBatchSize, ConfKeys.INFERENCE_BATCH_SIZE.defaultValue());
        latentCol = new Param<>(this, "latentCol", "output column of the latent code (array<float>)");
        setDefault(latentCol, DEFAULT_LATENT_COL);
        reconErrorCol = new Param<>(this, "reconErrorCol", "output column of the reconstruction MSE (double)");
        setDefault(reconErrorCol, DEFAULT_RECON_ERROR_COL);
        anomalyCol = new Param<>(this, "anomalyCol", "output column of the anomaly flag (boolean; only when the"
                + " model has a threshold)");
        setDefault(anomalyCol, DEFAULT_ANOMALY_COL);
    }

    public IntParam inferenceBatchSize() {
        return inferenceBatchSize;
    }

    public Param<String> latentCol() {
        return latentCol;
    }

    public Param<String> reconErrorCol() {
        return reconErrorCol;
    }

    public Param<String> anomalyCol() {
        return anomalyCol;
    }

    public CaeModel setInferenceBatchSize(int v) {
        set(inferenceBatchSize, v);
        return this;
    }

    public CaeModel setLatentCol(String v) {
        set(latentCol, v);
        return this;
    }

    public CaeModel setReconErrorCol(String v) {
        set(reconErrorCol, v);
        return this;
    }

    public CaeModel setAnomalyCol(String v) {
        set(anomalyCol, v);
        return this;
    }

    /** What {@code model.json} holds: spec, input shape, normaliser, threshold, training summary. */
    public ModelMetadata metadata() {
        return metadata;
    }

    /** The network with its input shape and latent vertex. */
    public io.sparkcae.core.model.CaeModel network() {
        return network;
    }

    /** The patch shape (C, [D,] H, W) the model takes. */
    public PatchShape inputShape() {
        return PatchShape.of(metadata.inputShape());
    }

    public int latentSize() {
        return metadata.latentSize();
    }

    /** The fitted anomaly threshold, or null for a model that has none. */
    public AnomalyThreshold threshold() {
        return metadata.threshold();
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        Dataset<Row> rows = dataset.toDF();
        transformSchema(rows.schema(), true);
        SparkSession spark = rows.sparkSession();
        Dataset<Row> scored = new PatchScorer(broadcastTo(spark.sparkContext()), metadata.normalizer(),
                (Integer) getOrDefault(inferenceBatchSize), OUTPUTS)
                .append(spark, rows, getOrDefault(latentCol), getOrDefault(reconErrorCol));
        AnomalyThreshold t = metadata.threshold();
        if (t != null) {
            scored = scored.withColumn(getOrDefault(anomalyCol), col(getOrDefault(reconErrorCol)).gt(t.value()));
        }
        return scored;
    }

    /** One broadcast of the network per Spark context, shared by every transform of this model. */
    private synchronized BroadcastModel broadcastTo(SparkContext sc) {
        if (broadcast == null || broadcastContext != sc || sc.isStopped()) {
            broadcast = BroadcastModel.of(JavaSparkContext.fromSparkContext(sc), network);
            broadcastContext = sc;
        }
        return broadcast;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        PatchColumns.require(schema, "CaeModel.transform", PatchSchema.DATA);
        return outputSchema(schema, getOrDefault(latentCol), getOrDefault(reconErrorCol),
                metadata.threshold() == null ? null : getOrDefault(anomalyCol));
    }

    /** @param anomalyColumn null when there is no threshold (no anomaly column) */
    static StructType outputSchema(StructType input, String latentColumn, String errorColumn, String anomalyColumn) {
        StructType out = PatchScorer.appendedSchema(input, OUTPUTS, latentColumn, errorColumn);
        return anomalyColumn == null ? out
                : out.add(DataTypes.createStructField(anomalyColumn, DataTypes.BooleanType, false));
    }

    @Override
    public CaeModel copy(ParamMap extra) {
        CaeModel copy = new CaeModel(uid, network, metadata);
        return copyValues(copy, extra).setParent(parent());
    }

    // ---- persistence ----

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    @Override
    public void save(String path) throws IOException {
        write().save(path);
    }

    public static MLReader<CaeModel> read() {
        return new Reader();
    }

    public static CaeModel load(String path) {
        return read().load(path);
    }

    /** Writes the train stage's model directory, then the Params the way Spark ML stages write theirs. */
    private static final class Writer extends MLWriter {
        private final CaeModel model;

        Writer(CaeModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            ModelStore.save(model.network.network(), model.metadata, path, sc().hadoopConfiguration());
            // Spark ML writes the Params under <path>/metadata (PARAMS_DIR)
            DefaultParamsWriter.saveMetadata(model, path, sc(), Option.empty(), Option.empty());
        }
    }

    /**
     * Reads a model directory; the Params (and uid) too when Spark ML wrote them, so a directory written by
     * {@code sparkcae train} loads with default Params.
     */
    private static final class Reader extends MLReader<CaeModel> {
        @Override
        public CaeModel load(String path) {
            Configuration hadoop = sc().hadoopConfiguration();
            ModelStore.Loaded loaded = ModelStore.load(path, hadoop);
            boolean hasParams;
            try {
                Path params = new Path(path, PARAMS_DIR);
                FileSystem fs = params.getFileSystem(hadoop);
                hasParams = fs.exists(params);
            } catch (IOException e) {
                throw new SparkCaeException(ExitCode.INFRASTRUCTURE, path + ": cannot read: " + e.getMessage(), e);
            }
            if (!hasParams) {
                return new CaeModel(Identifiable$.MODULE$.randomUID("caeModel"), loaded.model(), loaded.metadata());
            }
            DefaultParamsReader.Metadata meta = DefaultParamsReader.loadMetadata(path, sc(), CaeModel.class.getName());
            CaeModel model = new CaeModel(meta.uid(), loaded.model(), loaded.metadata());
            meta.getAndSetParams(model, Option.empty());
            return model;
        }
    }
}
