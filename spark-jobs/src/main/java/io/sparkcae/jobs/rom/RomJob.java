package io.sparkcae.jobs.rom;

import io.sparkcae.core.config.ConfKeys;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.config.RomConf;
import io.sparkcae.core.metrics.GramPod;
import io.sparkcae.core.metrics.PodSpectrum;
import io.sparkcae.core.tensor.ChannelNormalizer;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.common.BroadcastModel;
import io.sparkcae.jobs.common.Fingerprint;
import io.sparkcae.jobs.common.RunFiles;
import io.sparkcae.jobs.common.ModelInputs;
import io.sparkcae.jobs.scoring.PatchScorer;
import io.sparkcae.prep.dataset.PatchSchema;
import io.sparkcae.jobs.common.StageContext;
import io.sparkcae.jobs.common.StageRunner;
import io.sparkcae.prep.dataset.Manifest;
import io.sparkcae.prep.dataset.PatchDataset;
import io.sparkcae.prep.dataset.Split;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;

/**
 * The rom stage, for simulation time series prepped with one patch per time step ({@code patch.size = []}):
 * encodes every step to one latent vector and writes {@code (sim_id, t, split, z, recon_error)} trajectories,
 * and fits POD (PCA of the centred train snapshots, method of snapshots, computed in Spark by
 * {@link DistributedPod}) as the linear baseline: singular values, cumulative energy, the ranks holding
 * 90/99/99.9% of it, the leading modes, and POD's held-out (test split) error for 1..16 modes against the
 * CAE's. With {@code sparkcae.rom.latent-sizes} it also trains one CAE per latent size
 * ({@link LatentSizeSweep}) for a CAE curve beside POD's. Commits {@code <run-dir>/rom}.
 */
public final class RomJob {
    private static final Logger LOG = LoggerFactory.getLogger(RomJob.class);
    public static final String DIR = "rom";
    /** POD errors are reported for 1..this many modes (the latent sizes 1-16). */
    static final int MAX_MODES = 16;
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
        RomConf rom = ctx.conf().rom();
        boolean useCae = rom.method().cae();
        // pod-ae alone needs no CAE: only the prepped patches, normalised as train would
        ModelInputs inputs = useCae ? ModelInputs.load(spark, ctx, modelDir) : null;
        PatchDataset patches = useCae ? inputs.patches() : PatchDataset.open(spark, ctx.patchesDir(hadoop));
        String inputsFingerprint = useCae ? inputs.inputsFingerprint()
                : ctx.committed(StageContext.PREP_DIR, hadoop).fingerprint();
        Manifest m = patches.manifest();
        PatchShape shape = m.shape();
        for (Manifest.SourceInfo s : m.sources()) {
            if (!java.util.Arrays.equals(s.sampleShape(), shape.dims())) {
                throw SparkCaeException.usage(s.name() + ": rom needs one patch per time step (prep with"
                        + " " + ConfKeys.PATCH_SIZE + " = []), but its steps are " + PatchShape.of(s.sampleShape())
                        + " and the patches " + shape);
            }
        }
        long trainCount = m.count(Split.TRAIN);
        if (trainCount > rom.podMaxSnapshots()) {
            throw SparkCaeException.usage(ConfKeys.POD_MAX_SNAPSHOTS + ": " + patches.dir() + " has " + trainCount
                    + " train snapshots; POD's " + trainCount + " x " + trainCount + " Gram matrix is decomposed on the"
                    + " driver and the limit is " + rom.podMaxSnapshots() + " (raise it with the driver memory, ~8 n²"
                    + " bytes, or put fewer steps in the train split)");
        }
        Dataset<Row> testRows = patches.split(Split.TEST, "rom's held-out comparison");
        String fingerprint = Fingerprint.of("rom", ctx.conf().toJson(), inputsFingerprint);
        return StageRunner.run(ctx, DIR, fingerprint, hadoop, dir -> {
            ChannelNormalizer normalizer = useCae ? inputs.model().metadata().normalizer()
                    : patches.manifest().normalizer(ctx.conf().data().normalization());
            String trajectories = new org.apache.hadoop.fs.Path(dir, "trajectories").toString();
            double caeTest = useCae ? caeTrajectories(spark, ctx, inputs, normalizer, trajectories) : Double.NaN;

            long podStart = System.nanoTime();
            Dataset<Row> valRows = rom.method().podAe() && m.count(Split.VAL) > 0
                    ? patches.split(Split.VAL, "pod-ae early stopping") : null;
            DistributedPod.Result fit = DistributedPod.fit(spark, patches.split(Split.TRAIN, "POD"), valRows, testRows,
                    shape, normalizer, rom.podMaxSnapshots(), MAX_MODES,
                    new org.apache.hadoop.fs.Path(dir, "pod_modes").toString());
            GramPod pod = fit.pod();
            LOG.info(String.format(Locale.ROOT, "rom: POD of %d train snapshots x %d values (%d column blocks) in %.1f s",
                    fit.trainCount(), fit.features(), fit.blocks(), (System.nanoTime() - podStart) / 1e9));
            PodSpectrum spectrum = pod.spectrum();
            int latent = useCae ? inputs.model().metadata().latentSize() : ctx.conf().model().latentDim();
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("method", ConfKeys.ROM_METHOD.valueIn(ctx.conf()));
            metrics.put("snapshots_train", fit.trainCount());
            metrics.put("snapshots_val", fit.valCount());
            metrics.put("snapshots_test", fit.heldOutCount());
            metrics.put("features", fit.features());
            metrics.put("pod_column_blocks", fit.blocks());
            metrics.put("latent_size", latent);
            if (useCae) {
                metrics.put("cae_test_mse", caeTest);
            }
            int maxK = Math.min(MAX_MODES, pod.modeCount());
            List<Double> podCurve = new ArrayList<>();
            podCurve.add(pod.heldOutMse(0));
            for (int k = 1; k <= maxK; k++) {
                podCurve.add(pod.heldOutMse(k));
            }
            double meanMse = podCurve.get(0);
            metrics.put("test_mse_of_train_mean", meanMse);
            metrics.put("pod_test_mse_by_modes", podCurve.subList(1, podCurve.size()));
            if (latent <= pod.modeCount()) {
                metrics.put("pod_test_mse_at_latent_size", pod.heldOutMse(latent));
            }
            metrics.put("rank_90", spectrum.rankForEnergy(0.90));
            metrics.put("rank_99", spectrum.rankForEnergy(0.99));
            metrics.put("rank_999", spectrum.rankForEnergy(0.999));
            double[] energy = spectrum.cumulativeEnergy();
            double[] sv = spectrum.singularValues();
            List<Double> energyList = new ArrayList<>();
            List<Double> svList = new ArrayList<>();
            for (int i = 0; i < Math.min(energy.length, 64); i++) {
                energyList.add(energy[i]);
                svList.add(sv[i]);
            }
            metrics.put("pod_singular_values", svList);
            metrics.put("pod_cumulative_energy", energyList);

            Map<String, Map<Integer, Double>> models = new LinkedHashMap<>();
            List<RomGuardrail.Finding> findings = new ArrayList<>();
            if (useCae) {
                Map<Integer, Double> caeCurve = new TreeMap<>();
                Map<Integer, String> caeDirs = new TreeMap<>();
                if (rom.sweep()) {
                    for (LatentSizeSweep.Point p : LatentSizeSweep.run(spark, ctx, testRows, inputs.model(),
                            inputs.modelDir(), caeTest)) {
                        caeCurve.put(p.latentSize(), p.testMse());
                        caeDirs.put(p.latentSize(), p.modelDir());
                    }
                    Map<String, Double> byKey = new LinkedHashMap<>();
                    caeCurve.forEach((k, v) -> byKey.put(String.valueOf(k), v));
                    metrics.put("cae_test_mse_by_latent_size", byKey);
                } else {
                    caeCurve.put(latent, caeTest);
                    caeDirs.put(latent, inputs.modelDir());
                }
                models.put("CAE", caeCurve);
                caeCurve.forEach((k, mse) -> RomGuardrail.check("CAE", k, mse, meanMse, podAt(pod, k),
                        TrainHistory.read(caeDirs.get(k), hadoop, ConfKeys.EPOCHS.path())).ifPresent(findings::add));
            }
            if (rom.method().podAe()) {
                int[] sizes = rom.sweep() ? rom.latentSizes() : new int[]{latent};
                PodAeSweep.Result ae = PodAeSweep.run(fit, sizes, rom.podAe(), ctx.conf().seed());
                Map<Integer, Double> aeCurve = new TreeMap<>();
                Map<String, Object> aeMetrics = new LinkedHashMap<>();
                aeMetrics.put("modes", ae.modes());
                aeMetrics.put("floor_test_mse", ae.floorTestMse());
                Map<String, Object> bySize = new LinkedHashMap<>();
                for (PodAeSweep.Point p : ae.points()) {
                    aeCurve.put(p.latentSize(), p.testMse());
                    PodAutoencoder.Fitted f = p.fitted();
                    Map<String, Object> one = new LinkedHashMap<>();
                    one.put("test_mse", p.testMse());
                    one.put("train_mse", p.trainMse());
                    one.put("best_epoch", f.bestEpoch());
                    one.put("epochs", f.history().size());
                    one.put("stopped_early", f.stoppedEarly());
                    one.put("train_s", Math.round(f.seconds() * 10) / 10.0);
                    bySize.put(String.valueOf(p.latentSize()), one);
                    RomGuardrail.check("POD-AE", p.latentSize(), p.testMse(), meanMse, podAt(pod, p.latentSize()),
                            new RomGuardrail.Training(f.history(), f.bestEpoch(), f.stoppedEarly(),
                                    ConfKeys.POD_AE_EPOCHS.path())).ifPresent(findings::add);
                }
                aeMetrics.put("by_latent_size", bySize);
                metrics.put("pod_ae", aeMetrics);
                Map<String, Double> byKey = new LinkedHashMap<>();
                aeCurve.forEach((k, v) -> byKey.put(String.valueOf(k), v));
                metrics.put("pod_ae_test_mse_by_latent_size", byKey);
                models.put("POD-AE", aeCurve);
                if (!useCae && !ae.points().isEmpty()) {
                    PodAeTrajectories.write(spark, patches, valRows, testRows, ae, latent, trajectories);
                }
            }
            RomComparison comparison = new RomComparison(podCurve, models, spectrum.rankForEnergy(0.99));
            metrics.put("comparison", comparison.rows());
            metrics.put("recommendation", comparison.recommendation());
            List<Map<String, Object>> warnings = new ArrayList<>();
            for (RomGuardrail.Finding f : findings) {
                LOG.warn(f.message());
                warnings.add(f.toMap());
            }
            metrics.put("warnings", warnings);
            RunFiles.writeString(dir, "comparison.md", comparison.markdown(), hadoop);
            RunFiles.writeString(dir, "comparison.csv", comparison.csv(), hadoop);
            RomFigures.errorVsSize(podCurve.subList(1, podCurve.size()), models, meanMse, dir, hadoop);
            spark.sparkContext().setJobDescription(null);
            LOG.info(String.format(Locale.ROOT, "rom: POD ranks for 90/99/99.9%% energy: %d/%d/%d",
                    spectrum.rankForEnergy(0.90), spectrum.rankForEnergy(0.99), spectrum.rankForEnergy(0.999)));
            System.out.print(comparison.table());
            System.out.println("rom: recommendation: " + comparison.recommendation());
            return metrics;
        });
    }
    /** POD's held-out error with k modes, NaN when it has fewer. */
    private static double podAt(GramPod pod, int k) {
        return k <= pod.modeCount() ? pod.heldOutMse(k) : Double.NaN;
    }

    /** Writes the CAE's latent trajectories of every step and returns its mean held-out (test) error. */
    private static double caeTrajectories(SparkSession spark, StageContext ctx, ModelInputs inputs,
                                          ChannelNormalizer normalizer, String trajectories) throws Exception {
        return BroadcastModel.using(spark, inputs.model().model(), bm -> {
            spark.sparkContext().setJobDescription("sparkcae rom: latent trajectories");
            spark.createDataFrame(new PatchScorer(bm, normalizer, ctx.conf().encode().batchSize(),
                    Set.of(PatchScorer.Output.LATENT)).rows(inputs.patches().rows())
                    .map(r -> {
                        String id = r.getString(0);
                        int colon = id.lastIndexOf(':');
                        return RowFactory.create(id.substring(0, colon), Long.parseLong(id.substring(colon + 1)),
                                r.<String>getAs(PatchSchema.SPLIT), r.getAs(PatchScorer.LATENT),
                                r.<Double>getAs(PatchScorer.MSE));
                    }), SCHEMA).orderBy(col("sim_id"), col("t")).write().parquet(trajectories);
            return spark.read().parquet(trajectories).filter(col("split").equalTo("test"))
                    .agg(org.apache.spark.sql.functions.avg("recon_error")).first().getDouble(0);
        });
    }
}
