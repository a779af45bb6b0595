package io.sparkcae.jobs.rom;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.metrics.PodBasis;
import io.sparkcae.core.tensor.BatchAssembler;
import io.sparkcae.core.tensor.ChannelNormalizer;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.common.BroadcastModel;
import io.sparkcae.jobs.common.Fingerprint;
import io.sparkcae.jobs.common.ModelInputs;
import io.sparkcae.jobs.common.PatchInference;
import io.sparkcae.jobs.common.RunFiles;
import io.sparkcae.jobs.common.StageContext;
import io.sparkcae.jobs.common.StageOutput;
import io.sparkcae.prep.dataset.Manifest;
import io.sparkcae.prep.dataset.PatchDataset;
import io.sparkcae.prep.dataset.PatchSchema;
import io.sparkcae.prep.dataset.Split;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * The rom stage, for simulation time series prepped with one patch per time step ({@code patch.size = []}):
 * encodes every step to one latent vector and writes {@code (sim_id, t, split, z, recon_error)} trajectories,
 * and fits POD (PCA of the centred train snapshots, method of snapshots) as the linear baseline: singular
 * values, cumulative energy, the ranks holding 90/99/99.9% of it, and POD's held-out (test split) error
 * for 1..16 modes against the CAE's at its latent size. Commits {@code <run-dir>/rom}.
 */
public final class RomJob {
    private static final Logger LOG = LoggerFactory.getLogger(RomJob.class);
    public static final String DIR = "rom";
    /** Snapshots are gathered on the driver for POD; beyond this many floats the stage refuses. */
    static final long MAX_SNAPSHOT_FLOATS = 200_000_000L;
    static final StructType SCHEMA = new StructType(new StructField[]{
            DataTypes.createStructField("sim_id", DataTypes.StringType, false),
            DataTypes.createStructField("t", DataTypes.LongType, false),
            DataTypes.createStructField("split", DataTypes.StringType, false),
            DataTypes.createStructField("z", DataTypes.createArrayType(DataTypes.FloatType, false), false),
            DataTypes.createStructField("recon_error", DataTypes.DoubleType, false)});

    private RomJob() {
    }

    public static Map<String, Object> run(SparkSession spark, StageContext ctx, String modelDir) throws Exception {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        ModelInputs inputs = ModelInputs.load(spark, ctx, modelDir);
        PatchDataset patches = inputs.patches();
        Manifest m = patches.manifest();
        PatchShape shape = m.shape();
        for (Manifest.SourceInfo s : m.sources()) {
            if (!java.util.Arrays.equals(s.sampleShape(), shape.dims())) {
                throw SparkCaeException.usage(s.name() + ": rom needs one patch per time step (prep with"
                        + " sparkcae.patch.size = []), but its steps are " + PatchShape.of(s.sampleShape())
                        + " and the patches " + shape);
            }
        }
        long trainCount = m.count(Split.TRAIN);
        if (trainCount * shape.elementCount() > MAX_SNAPSHOT_FLOATS) {
            throw SparkCaeException.usage(patches.dir() + ": " + trainCount + " train snapshots of " + shape
                    + " are too many for the driver-side POD (limit " + MAX_SNAPSHOT_FLOATS + " floats)");
        }
        patches.split(Split.TEST, "rom's held-out comparison");
        StageOutput out = StageOutput.begin(ctx.stageDir(DIR), Fingerprint.of("rom", ctx.conf().toJson(),
                inputs.inputsFingerprint()), ctx.ifExists(), hadoop);
        if (out == null) {
            return Map.of("skipped", true);
        }
        BroadcastModel bm = null;
        try {
            ChannelNormalizer normalizer = inputs.model().metadata().normalizer();
            bm = BroadcastModel.of(JavaSparkContext.fromSparkContext(spark.sparkContext()), inputs.model().model());
            spark.sparkContext().setJobDescription("sparkcae rom: latent trajectories");
            String trajectories = new org.apache.hadoop.fs.Path(out.tmpDir(), "trajectories").toString();
            spark.createDataFrame(PatchInference.run(patches.rows(), bm, normalizer, ctx.conf().encode().batchSize(), true)
                    .map(r -> {
                        String id = r.getString(0);
                        int colon = id.lastIndexOf(':');
                        return RowFactory.create(id.substring(0, colon), Long.parseLong(id.substring(colon + 1)),
                                r.getString(1), r.get(3), r.getDouble(4));
                    }), SCHEMA).orderBy(col("sim_id"), col("t")).write().parquet(trajectories);
            double caeTest = spark.read().parquet(trajectories).filter(col("split").equalTo("test"))
                    .agg(org.apache.spark.sql.functions.avg("recon_error")).first().getDouble(0);

            spark.sparkContext().setJobDescription("sparkcae rom: POD of the train snapshots");
            PodBasis pod = PodBasis.fit(snapshots(patches, Split.TRAIN, shape, normalizer));
            float[][] test = snapshots(patches, Split.TEST, shape, normalizer);
            int latent = inputs.model().metadata().latentSize();
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("snapshots_train", trainCount);
            metrics.put("latent_size", latent);
            metrics.put("cae_test_mse", caeTest);
            int maxK = Math.min(16, pod.modeCount());
            List<Double> podCurve = new ArrayList<>();
            for (int k = 1; k <= maxK; k++) {
                podCurve.add(pod.reconstructionMse(test, k));
            }
            metrics.put("pod_test_mse_by_modes", podCurve);
            if (latent <= pod.modeCount()) {
                metrics.put("pod_test_mse_at_latent_size", pod.reconstructionMse(test, latent));
            }
            metrics.put("rank_90", pod.rankForEnergy(0.90));
            metrics.put("rank_99", pod.rankForEnergy(0.99));
            metrics.put("rank_999", pod.rankForEnergy(0.999));
            double[] energy = pod.cumulativeEnergy();
            List<Double> energyList = new ArrayList<>();
            for (int i = 0; i < Math.min(energy.length, 64); i++) {
                energyList.add(energy[i]);
            }
            metrics.put("pod_cumulative_energy", energyList);
            ObjectMapper json = new ObjectMapper();
            RunFiles.writeString(out.tmpDir(), "metrics.json", json.writerWithDefaultPrettyPrinter().writeValueAsString(metrics), hadoop);
            RomFigures.errorVsSize(podCurve, latent, caeTest, out.tmpDir(), hadoop);
            spark.sparkContext().setJobDescription(null);
            out.commit();
            LOG.info(String.format(Locale.ROOT, "rom: POD ranks for 90/99/99.9%% energy: %d/%d/%d; held-out MSE: CAE (%d-d) %.5f%s",
                    pod.rankForEnergy(0.90), pod.rankForEnergy(0.99), pod.rankForEnergy(0.999), latent, caeTest,
                    metrics.containsKey("pod_test_mse_at_latent_size")
                            ? String.format(Locale.ROOT, ", POD (%d modes) %.5f", latent, metrics.get("pod_test_mse_at_latent_size")) : ""));
            return metrics;
        } catch (Exception | Error e) {
            out.abort();
            throw e;
        } finally {
            if (bm != null) {
                bm.destroy();
            }
        }
    }

    /** The split's snapshots, normalised as the model sees them, ordered by id. */
    private static float[][] snapshots(PatchDataset patches, Split split, PatchShape shape, ChannelNormalizer normalizer) {
        List<Row> rows = patches.split(split, "rom").select(col(PatchSchema.ID), col(PatchSchema.DATA))
                .orderBy(col(PatchSchema.ID)).collectAsList();
        List<byte[]> data = new ArrayList<>();
        rows.forEach(r -> data.add((byte[]) r.get(1)));
        INDArray x = normalizer.apply(BatchAssembler.assemble(data, shape));
        return x.reshape(data.size(), shape.elementCount()).toFloatMatrix();
    }
}
