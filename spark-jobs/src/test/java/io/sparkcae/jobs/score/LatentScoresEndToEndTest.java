package io.sparkcae.jobs.score;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.anomaly.MahalanobisDistance;
import io.sparkcae.core.metrics.CovarianceAccumulator;
import io.sparkcae.core.metrics.Quantile;
import io.sparkcae.jobs.testing.CliRun;
import io.sparkcae.jobs.testing.FashionMnistSlice;
import io.sparkcae.jobs.testing.LocalSpark;
import io.sparkcae.jobs.testing.StageDirs;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * prep, train (1 epoch), encode and score on a slice of real Fashion-MNIST: score writes the latent scores
 * next to the reconstruction errors, with the values a direct computation from encode's latents gives, reports
 * an AUC for every score, and {@code score.method} moves the threshold and the flag to another score.
 */
@ExtendWith(LocalSpark.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LatentScoresEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SCORES = List.of("mse", "latent_mahalanobis", "latent_knn", "combined");
    private static final int[] NORMAL = {0, 1, 2, 3, 4};
    @TempDir
    static Path tmp;
    static Path data;
    static Path run;
    static Set<String> flaggedByMse;

    @BeforeAll
    static void slice() throws Exception {
        data = FashionMnistSlice.write(tmp.resolve("fmnist"), 600, 200);
        run = tmp.resolve("run");
    }

    private static String[] args(String stage, String... extra) {
        List<String> a = new ArrayList<>(List.of(stage, "--data", data.toString(), "--run-dir", run.toString(),
                "--set", "train.epochs=1", "--set", "train.batch-size=32", "--set", "train.averaging-frequency=5",
                "--set", "prep.records-per-task=400", "--set", "score.residual-maps=0",
                "--set", "score.normal-labels=[0,1,2,3,4]", "--set", "score.threshold-quantile=0.9"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    @Order(1)
    void scoreWritesLatentScoresWithAnAucEach() throws Exception {
        for (String stage : List.of("prep", "train", "encode", "score")) {
            CliRun r = CliRun.of(args(stage));
            assertEquals(0, r.exitCode(), stage + ": " + r);
        }
        Path s = StageDirs.output(run, "score");
        JsonNode metrics = JSON.readTree(s.resolve("metrics.json").toFile());
        SparkSession spark = LocalSpark.get();
        Dataset<Row> scores = spark.read().parquet(s.resolve("scores").toString());
        assertEquals(800, scores.count());
        List<String> columns = Arrays.asList(scores.columns());
        assertTrue(columns.containsAll(List.of("mse", "l1", "ssim", "residual", "latent_mahalanobis", "latent_knn",
                "combined", "flagged")), columns.toString());
        assertFalse(columns.contains("z"), "latents are encode's output, not score's");
        for (String c : SCORES) {
            assertEquals(0, scores.filter(col(c).isNaN().or(col(c).isNull())
                    .or(col(c).equalTo(Double.POSITIVE_INFINITY))).count(), c + " is finite everywhere");
            double auroc = metrics.get("auroc_" + c).asDouble();
            double prAuc = metrics.get("pr_auc_" + c).asDouble();
            assertTrue(auroc > 0 && auroc < 1 && prAuc > 0 && prAuc < 1, c + ": " + auroc + ", " + prAuc);
        }
        // the default keeps today's flag: the reconstruction error against the model's stored threshold
        assertEquals("mse", metrics.get("score_method").asText());
        assertEquals(metrics.get("auroc_mse").asDouble(), metrics.get("auroc").asDouble());
        double threshold = metrics.get("threshold").asDouble();
        assertEquals(0, scores.filter(col("flagged").notEqual(col("mse").gt(threshold))).count());
        flaggedByMse = ids(scores.filter(col("split").equalTo("test").and(col("flagged"))));
        assertTrue(Files.exists(s.resolve("roc.png")));

        checkAgainstEncodeLatents(spark, scores, metrics);
    }

    /** Mahalanobis and kNN recomputed on the driver from encode's latents of the same model; combined from val. */
    private static void checkAgainstEncodeLatents(SparkSession spark, Dataset<Row> scores, JsonNode metrics) {
        Dataset<Row> latents = spark.read().parquet(StageDirs.output(run, "encode").resolve("latents").toString());
        List<float[]> train = latents.filter(col("split").equalTo("train")).select("z").collectAsList().stream()
                .map(r -> toFloats(r.getList(0))).toList();
        assertEquals(train.size(), metrics.get("latent_train_patches").asLong());
        assertEquals(train.size(), metrics.get("knn_reference_patches").asLong(), "fewer than knn-max-train: all");
        CovarianceAccumulator moments = new CovarianceAccumulator(train.get(0).length);
        train.forEach(moments::add);
        MahalanobisDistance mahalanobis = MahalanobisDistance.fit(moments.mean(), moments.covariance(), 1e-6);

        Map<String, float[]> testLatents = new HashMap<>();
        latents.filter(col("split").equalTo("test")).orderBy("id").limit(25).select("id", "z").collectAsList()
                .forEach(r -> testLatents.put(r.getString(0), toFloats(r.getList(1))));
        List<Row> scored = scores.filter(col("id").isin(testLatents.keySet().toArray()))
                .select("id", "latent_mahalanobis", "latent_knn").collectAsList();
        assertEquals(25, scored.size());
        for (Row r : scored) {
            float[] z = testLatents.get(r.getString(0));
            double[] distances = train.stream().mapToDouble(t -> {
                double s = 0;
                for (int j = 0; j < z.length; j++) {
                    s += (z[j] - t[j]) * (double) (z[j] - t[j]);
                }
                return Math.sqrt(s);
            }).sorted().toArray();
            double knn = Arrays.stream(distances, 0, 5).average().orElseThrow();
            // encode batches patches differently: the latents agree to float rounding, not bit for bit
            assertEquals(knn, r.getDouble(2), 1e-3 * knn, r.getString(0));
            double m = mahalanobis.distance(z);
            assertEquals(m, r.getDouble(1), 1e-2 * m, r.getString(0));
        }

        // combined: the mean of z-scores by the val patches' (normal labels) means and stds
        List<Row> val = scores.filter(col("split").equalTo("val").and(col("label").isin(0, 1, 2, 3, 4)))
                .select("mse", "latent_mahalanobis", "latent_knn").collectAsList();
        double[] mean = new double[3];
        double[] std = new double[3];
        for (int c = 0; c < 3; c++) {
            int col = c;
            double[] v = val.stream().mapToDouble(x -> x.getDouble(col)).toArray();
            mean[c] = Arrays.stream(v).average().orElseThrow();
            std[c] = Math.sqrt(Arrays.stream(v).map(x -> (x - mean[col]) * (x - mean[col])).sum() / (v.length - 1));
        }
        for (Row r : scores.filter(col("split").equalTo("test")).limit(25)
                .select("mse", "latent_mahalanobis", "latent_knn", "combined").collectAsList()) {
            double expected = 0;
            for (int c = 0; c < 3; c++) {
                expected += (r.getDouble(c) - mean[c]) / std[c] / 3;
            }
            assertEquals(expected, r.getDouble(3), 1e-3);
        }
    }

    @Test
    @Order(2)
    void methodKnnMovesTheThresholdAndTheFlagToTheKnnScore() throws Exception {
        CliRun r = CliRun.of(args("score", "--if-exists", "overwrite", "--set", "score.method=knn",
                "--set", "score.knn-k=3", "--set", "score.knn-max-train=100"));
        assertEquals(0, r.exitCode(), r.toString());
        Path s = StageDirs.output(run, "score");
        JsonNode metrics = JSON.readTree(s.resolve("metrics.json").toFile());
        assertEquals("latent_knn", metrics.get("score_method").asText());
        assertEquals("recalibrated", metrics.get("threshold_source").asText());
        assertEquals(100, metrics.get("knn_reference_patches").asInt());
        assertEquals(3, metrics.get("knn_k").asInt());
        assertEquals("latent_knn", JSON.readTree(s.resolve("threshold.json").toFile()).get("metric").asText());
        assertEquals(metrics.get("auroc_latent_knn").asDouble(), metrics.get("auroc").asDouble());

        Dataset<Row> scores = LocalSpark.get().read().parquet(s.resolve("scores").toString());
        double threshold = metrics.get("threshold").asDouble();
        assertEquals(0, scores.filter(col("flagged").notEqual(col("latent_knn").gt(threshold))).count());
        double[] val = scores.filter(col("split").equalTo("val").and(col("label").isin(0, 1, 2, 3, 4)))
                .select("latent_knn").collectAsList().stream().mapToDouble(x -> x.getDouble(0)).toArray();
        assertEquals(Quantile.of(val, 0.9), threshold, 1e-6 * threshold);
        Set<String> flaggedByKnn = ids(scores.filter(col("split").equalTo("test").and(col("flagged"))));
        assertEquals(metrics.get("test_flagged").asLong(), flaggedByKnn.size());
        assertNotEquals(flaggedByMse, flaggedByKnn, "another score flags other patches");
    }

    private static Set<String> ids(Dataset<Row> rows) {
        return rows.select("id").collectAsList().stream().map(r -> r.getString(0)).collect(Collectors.toSet());
    }

    private static float[] toFloats(List<Object> list) {
        float[] f = new float[list.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = ((Number) list.get(i)).floatValue();
        }
        return f;
    }
}
