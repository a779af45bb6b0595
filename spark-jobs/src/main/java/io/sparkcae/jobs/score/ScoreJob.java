package io.sparkcae.jobs.score;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.core.metrics.PrAuc;
import io.sparkcae.core.metrics.RocAuc;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.common.AnomalyThreshold;
import io.sparkcae.jobs.common.BroadcastModel;
import io.sparkcae.jobs.common.LabelFilter;
import io.sparkcae.jobs.common.Fingerprint;
import io.sparkcae.jobs.common.ModelInputs;
import io.sparkcae.jobs.common.ModelStore;
import io.sparkcae.jobs.common.RunFiles;
import io.sparkcae.jobs.common.StageContext;
import io.sparkcae.jobs.common.StageRunner;
import io.sparkcae.jobs.scoring.PatchScorer;
import io.sparkcae.jobs.scoring.ThresholdCalibrator;
import io.sparkcae.prep.dataset.PatchDataset;
import io.sparkcae.prep.dataset.Split;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * The score stage (anomaly detection by reconstruction error): scores every patch, calibrates a threshold
 * as a quantile of the val split's MSE, flags patches above it, and where labels exist reports ROC-AUC and
 * PR-AUC on the test split ("anomalous" = label not in score.normal-labels). Commits {@code <run-dir>/score}:
 * {@code scores/} (Parquet), {@code threshold.json}, {@code metrics.json} and figures.
 */
public final class ScoreJob {
    private static final Logger LOG = LoggerFactory.getLogger(ScoreJob.class);
    public static final String DIR = "score";

    private ScoreJob() {
    }

    public static Map<String, Object> run(SparkSession spark, StageContext ctx, String modelDir) throws Exception {
        SparkCaeConf conf = ctx.conf();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        ModelInputs inputs = ModelInputs.load(spark, ctx, modelDir);
        PatchDataset patches = inputs.patches();
        ModelStore.Loaded loaded = inputs.model();
        PatchShape expected = inputs.shape();
        String model = inputs.modelDir();
        patches.split(Split.VAL, "score's threshold calibration");
        String fingerprint = Fingerprint.of("score", conf.toJson(), inputs.inputsFingerprint());
        return StageRunner.run(ctx, DIR, fingerprint, hadoop, dir -> BroadcastModel.using(spark, loaded.model(), bm -> {
            long t0 = System.nanoTime();
            String scoresDir = new Path(dir, "scores").toString();
            spark.sparkContext().setJobDescription("sparkcae score: reconstruction errors");
            // Threshold first, so the one pass over all patches can write the flag: the model's own (calibrated by
            // train on the val patches of its training labels) when it was made for this quantile, else recalibrated
            // here the same way.
            double q = conf.score().thresholdQuantile();
            int[] normal = conf.score().normalLabels().length > 0 ? conf.score().normalLabels() : conf.train().labels();
            Dataset<Row> calibration = LabelFilter.apply(patches.split(Split.VAL, "calibration"), normal);
            double[] valMse = ThresholdCalibrator.valErrors(calibration, bm, loaded.metadata().normalizer(),
                    conf.encode().batchSize());
            AnomalyThreshold stored = loaded.metadata().threshold();
            boolean fromModel = stored != null && stored.quantile() == q;
            double threshold = fromModel ? stored.value() : ThresholdCalibrator.of(valMse, q).value();
            new PatchScorer(bm, loaded.metadata().normalizer(), conf.encode().batchSize(),
                    EnumSet.of(PatchScorer.Output.L1_SSIM, PatchScorer.Output.RESIDUAL)).score(spark, patches.rows())
                    .withColumn("flagged", col(PatchScorer.MSE).gt(threshold))
                    .write().parquet(scoresDir);
            Dataset<Row> scored = spark.read().parquet(scoresDir);
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("threshold", threshold);
            metrics.put("threshold_quantile", q);
            metrics.put("threshold_source", fromModel ? "model" : "recalibrated");
            Dataset<Row> test = scored.filter(col("split").equalTo("test"));
            List<Row> testRows = test.select("mse", "l1", "ssim", "label").collectAsList();
            metrics.put("test_patches", testRows.size());
            metrics.put("test_mse", testRows.stream().mapToDouble(r -> r.getDouble(0)).average().orElse(Double.NaN));
            metrics.put("test_l1", testRows.stream().mapToDouble(r -> r.getDouble(1)).average().orElse(Double.NaN));
            metrics.put("test_ssim", testRows.stream().mapToDouble(r -> r.getDouble(2)).average().orElse(Double.NaN));
            long flagged = testRows.stream().filter(r -> r.getDouble(0) > threshold).count();
            metrics.put("test_flagged", flagged);
            boolean labelled = !testRows.isEmpty() && testRows.stream().noneMatch(r -> r.isNullAt(3)) && normal.length > 0;
            if (labelled) {
                double[] s = testRows.stream().mapToDouble(r -> r.getDouble(0)).toArray();
                boolean[] anomalous = new boolean[testRows.size()];
                for (int i = 0; i < anomalous.length; i++) {
                    int label = testRows.get(i).getInt(3);
                    anomalous[i] = Arrays.stream(normal).noneMatch(l -> l == label);
                }
                metrics.put("normal_labels", Arrays.stream(normal).boxed().toList());
                metrics.put("auroc", RocAuc.of(s, anomalous));
                metrics.put("pr_auc", PrAuc.of(s, anomalous));
                ScoreFigures.roc(s, anomalous, dir, hadoop);
            }
            ScoreFigures.histogram(valMse, testRows.stream().mapToDouble(r -> r.getDouble(0)).toArray(), threshold,
                    dir, hadoop);
            ScoreFigures.residualMaps(test, expected, conf.score().residualMaps(), dir, hadoop);
            double secs = (System.nanoTime() - t0) / 1e9;
            metrics.put("wall_s", Math.round(secs * 10) / 10.0);
            ObjectMapper json = new ObjectMapper();
            RunFiles.writeString(dir, "threshold.json", json.writeValueAsString(Map.of("metric", "mse",
                    "quantile", q, "threshold", threshold, "source", fromModel ? "model" : "recalibrated", "model", model)),
                    hadoop);
            spark.sparkContext().setJobDescription(null);
            LOG.info(String.format(Locale.ROOT, "score: threshold %.5f (q=%.3f of val MSE), %d of %d test patches flagged%s",
                    threshold, q, flagged, testRows.size(),
                    labelled ? String.format(Locale.ROOT, ", ROC-AUC %.4f, PR-AUC %.4f", metrics.get("auroc"),
                            metrics.get("pr_auc")) : ""));
            return metrics;
        }));
    }

}
