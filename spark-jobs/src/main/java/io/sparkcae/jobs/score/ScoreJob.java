package io.sparkcae.jobs.score;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.anomaly.CombinedScore;
import io.sparkcae.core.config.ConfKey;
import io.sparkcae.core.config.ConfKeys;
import io.sparkcae.core.config.ScoreConf;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.metrics.PrAuc;
import io.sparkcae.core.metrics.Quantile;
import io.sparkcae.core.metrics.RocAuc;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.jobs.common.AnomalyThreshold;
import io.sparkcae.jobs.common.BroadcastModel;
import io.sparkcae.jobs.common.LabelFilter;
import io.sparkcae.jobs.common.Fingerprint;
import io.sparkcae.jobs.common.ModelInputs;
import io.sparkcae.jobs.common.ModelMetadata;
import io.sparkcae.jobs.common.ModelStore;
import io.sparkcae.jobs.common.RunFiles;
import io.sparkcae.jobs.common.StageContext;
import io.sparkcae.jobs.common.StageRunner;
import io.sparkcae.jobs.scoring.LatentReference;
import io.sparkcae.jobs.scoring.LatentScoreColumns;
import io.sparkcae.jobs.scoring.PatchScorer;
import io.sparkcae.jobs.scoring.ThresholdCalibrator;
import io.sparkcae.jobs.scoring.ValidationScores;
import io.sparkcae.prep.dataset.PatchDataset;
import io.sparkcae.prep.dataset.Split;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
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
 * The score stage (anomaly detection): scores every patch by reconstruction error (MSE, L1, SSIM) and by where
 * its latent lies among the training patches' latents (Mahalanobis and k-nearest-neighbour distance, fitted on
 * the train split), plus a combination of the three; calibrates a threshold on the score that
 * {@code score.method} selects as a quantile of the val split, flags patches above it, and where labels exist
 * reports ROC-AUC and PR-AUC of every score on the test split ("anomalous" = label not in
 * score.normal-labels). Commits {@code <run-dir>/score}: {@code scores/} (Parquet), {@code threshold.json},
 * {@code metrics.json} and figures.
 */
public final class ScoreJob {
    private static final Logger LOG = LoggerFactory.getLogger(ScoreJob.class);
    public static final String DIR = "score";
    /** The scores compared in metrics.json and roc.png, with their legend names. */
    private static final Map<ScoreConf.Method, String> LEGEND = new LinkedHashMap<>();

    static {
        LEGEND.put(ScoreConf.Method.MSE, "reconstruction MSE");
        LEGEND.put(ScoreConf.Method.MAHALANOBIS, "latent Mahalanobis");
        LEGEND.put(ScoreConf.Method.KNN, "latent kNN");
        LEGEND.put(ScoreConf.Method.COMBINED, "combined");
    }

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
        ScoreConf sc = conf.score();
        ScoreConf.Method method = sc.method();
        int dims = loaded.metadata().latentSize();
        patches.split(Split.VAL, "score's threshold calibration");
        int[] trainedOn = trainedLabels(loaded.metadata(), conf);
        Dataset<Row> train = LabelFilter.apply(patches.rows().filter(col("split").equalTo(Split.TRAIN.columnValue())),
                trainedOn);
        String skipLatent = latentScoresUnavailable(dims, train, trainedOn, sc);
        if (skipLatent != null && method != ScoreConf.Method.MSE) {
            throw SparkCaeException.usage(ConfKeys.SCORE_METHOD + " = " + ConfKey.spelling(method)
                    + " needs the latent scores, but " + skipLatent + ": use mse");
        }
        String fingerprint = Fingerprint.of("score", conf.toJson(), inputs.inputsFingerprint());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return StageRunner.run(ctx, DIR, fingerprint, hadoop, dir -> BroadcastModel.using(spark, loaded.model(), bm -> {
            long t0 = System.nanoTime();
            int batch = conf.encode().batchSize();
            String scoresDir = new Path(dir, "scores").toString();
            LatentReference reference = null;
            if (skipLatent == null) {
                spark.sparkContext().setJobDescription("sparkcae score: training latents");
                reference = LatentReference.fit(train, bm, loaded.metadata().normalizer(), batch, dims, sc, conf.seed());
            } else {
                LOG.warn("score: no latent scores ({}): latent_mahalanobis, latent_knn and combined are NaN", skipLatent);
            }
            Broadcast<LatentReference> ref = reference == null ? null : jsc.broadcast(reference);
            try {
                spark.sparkContext().setJobDescription("sparkcae score: calibration on val");
                // Threshold first, so the one pass over all patches can write the flag. For mse: the model's own
                // (calibrated by train on the val patches of its training labels) when it was made for this
                // quantile, else recalibrated here the same way; other scores are always calibrated here.
                double q = sc.thresholdQuantile();
                int[] normal = sc.normalLabels().length > 0 ? sc.normalLabels() : conf.train().labels();
                Dataset<Row> calibration = LabelFilter.apply(patches.split(Split.VAL, "calibration"), normal);
                ValidationScores val = ValidationScores.of(calibration, bm, loaded.metadata().normalizer(), batch, ref);
                if (val.mse().length < 2) {
                    throw SparkCaeException.badData("score calibrates on the val patches of the normal labels "
                            + Arrays.toString(normal) + " and found " + val.mse().length + " (check "
                            + ConfKeys.VAL_FRACTION + " and score.normal-labels)");
                }
                CombinedScore combined = reference == null ? null : val.combined();
                double[] valScores = val.of(method, combined);
                AnomalyThreshold stored = loaded.metadata().threshold();
                boolean fromModel = method == ScoreConf.Method.MSE && stored != null && stored.quantile() == q;
                double threshold = fromModel ? stored.value()
                        : method == ScoreConf.Method.MSE ? ThresholdCalibrator.of(valScores, q).value()
                        : Quantile.of(valScores, q);

                spark.sparkContext().setJobDescription("sparkcae score: all patches");
                PatchScorer scorer = new PatchScorer(bm, loaded.metadata().normalizer(), batch,
                        EnumSet.of(PatchScorer.Output.LATENT, PatchScorer.Output.L1_SSIM, PatchScorer.Output.RESIDUAL));
                spark.createDataFrame(LatentScoreColumns.append(scorer.rows(patches.rows()), scorer.schema(), ref,
                                combined, true, batch), LatentScoreColumns.schema(scorer.schema(), true))
                        .withColumn("flagged", col(method.column()).gt(threshold))
                        .write().parquet(scoresDir);
                Map<String, Object> metrics = new LinkedHashMap<>();
                metrics.put("score_method", method.column());
                metrics.put("threshold", threshold);
                metrics.put("threshold_quantile", q);
                metrics.put("threshold_source", fromModel ? "model" : "recalibrated");
                if (reference != null) {
                    metrics.put("latent_train_patches", reference.trainPatches());
                    metrics.put("knn_reference_patches", reference.knn().referenceRows());
                    metrics.put("knn_k", reference.knn().k());
                } else {
                    metrics.put("latent_scores_skipped", skipLatent);
                }
                Dataset<Row> scored = spark.read().parquet(scoresDir);
                Dataset<Row> test = scored.filter(col("split").equalTo("test"));
                List<Row> testRows = test.select(col("mse"), col("l1"), col("ssim"), col("label"),
                        col(LatentScoreColumns.MAHALANOBIS), col(LatentScoreColumns.KNN),
                        col(LatentScoreColumns.COMBINED)).collectAsList();
                metrics.put("test_patches", testRows.size());
                metrics.put("test_mse", mean(testRows, 0));
                metrics.put("test_l1", mean(testRows, 1));
                metrics.put("test_ssim", mean(testRows, 2));
                Map<ScoreConf.Method, double[]> testScores = new LinkedHashMap<>();
                testScores.put(ScoreConf.Method.MSE, column(testRows, 0));
                testScores.put(ScoreConf.Method.MAHALANOBIS, column(testRows, 4));
                testScores.put(ScoreConf.Method.KNN, column(testRows, 5));
                testScores.put(ScoreConf.Method.COMBINED, column(testRows, 6));
                double[] testMethod = testScores.get(method);
                long flagged = Arrays.stream(testMethod).filter(s -> s > threshold).count();
                metrics.put("test_flagged", flagged);
                boolean labelled = !testRows.isEmpty() && testRows.stream().noneMatch(r -> r.isNullAt(3))
                        && normal.length > 0;
                if (labelled) {
                    boolean[] anomalous = new boolean[testRows.size()];
                    for (int i = 0; i < anomalous.length; i++) {
                        int label = testRows.get(i).getInt(3);
                        anomalous[i] = Arrays.stream(normal).noneMatch(l -> l == label);
                    }
                    metrics.put("normal_labels", Arrays.stream(normal).boxed().toList());
                    // the AUCs of the flagged score under their historical names, then every score's
                    metrics.put("auroc", RocAuc.of(testMethod, anomalous));
                    metrics.put("pr_auc", PrAuc.of(testMethod, anomalous));
                    Map<String, double[]> curves = new LinkedHashMap<>();
                    for (Map.Entry<ScoreConf.Method, double[]> e : testScores.entrySet()) {
                        if (e.getKey() != ScoreConf.Method.MSE && reference == null) {
                            continue;
                        }
                        double roc = RocAuc.of(e.getValue(), anomalous);
                        metrics.put("auroc_" + e.getKey().column(), roc);
                        metrics.put("pr_auc_" + e.getKey().column(), PrAuc.of(e.getValue(), anomalous));
                        curves.put(String.format(Locale.ROOT, "%s (AUC %.3f)", LEGEND.get(e.getKey()), roc),
                                e.getValue());
                    }
                    ScoreFigures.roc(curves, anomalous, dir, hadoop);
                }
                ScoreFigures.histogram(LEGEND.get(method), valScores, testMethod, threshold, dir, hadoop);
                ScoreFigures.residualMaps(test, expected, sc.residualMaps(), dir, hadoop);
                double secs = (System.nanoTime() - t0) / 1e9;
                metrics.put("wall_s", Math.round(secs * 10) / 10.0);
                ObjectMapper json = new ObjectMapper();
                RunFiles.writeString(dir, "threshold.json", json.writeValueAsString(Map.of("metric", method.column(),
                        "quantile", q, "threshold", threshold, "source", fromModel ? "model" : "recalibrated",
                        "model", model)), hadoop);
                spark.sparkContext().setJobDescription(null);
                LOG.info(String.format(Locale.ROOT, "score: threshold %.5f (q=%.3f of val %s), %d of %d test patches"
                                + " flagged%s", threshold, q, method.column(), flagged, testRows.size(),
                        labelled ? String.format(Locale.ROOT, ", ROC-AUC %.4f, PR-AUC %.4f", metrics.get("auroc"),
                                metrics.get("pr_auc")) : ""));
                return metrics;
            } finally {
                if (ref != null) {
                    ref.destroy();
                }
            }
        }));
    }

    /**
     * Why the latent scores cannot be computed for this model and data, or null when they can: latents too long
     * for a covariance per task, or too few training patches for the kNN score.
     */
    private static String latentScoresUnavailable(int dims, Dataset<Row> train, int[] trainedOn, ScoreConf sc) {
        if (dims > LatentReference.MAX_DIMS) {
            return "the model's latents have " + dims + " dimensions (latent scores stop at " + LatentReference.MAX_DIMS
                    + ")";
        }
        long n = train.count();
        if (n <= sc.knnK()) {
            return "the train split has " + n + " patches of the model's training labels "
                    + (trainedOn.length == 0 ? "(all)" : Arrays.toString(trainedOn)) + ", and " + ConfKeys.KNN_K
                    + " = " + sc.knnK() + " needs more";
        }
        return null;
    }

    /**
     * The labels the model was trained on, as its model.json records them ({@code train.labels}; [] = all), so
     * the latent scores compare with what the model learnt even when {@code --model} names another run's model.
     */
    private static int[] trainedLabels(ModelMetadata metadata, SparkCaeConf conf) {
        JsonNode labels = metadata.config() == null ? null : metadata.config().path("train").path("labels");
        if (labels == null || !labels.isArray()) {
            return conf.train().labels();
        }
        int[] out = new int[labels.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = labels.get(i).asInt();
        }
        return out;
    }

    private static double[] column(List<Row> rows, int c) {
        return rows.stream().mapToDouble(r -> r.getDouble(c)).toArray();
    }

    private static double mean(List<Row> rows, int c) {
        return rows.stream().mapToDouble(r -> r.getDouble(c)).average().orElse(Double.NaN);
    }
}
