package io.sparkcae.jobs.cli;

import io.sparkcae.jobs.testing.StageDirs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.jobs.testing.CliRun;
import io.sparkcae.jobs.testing.FashionMnistSlice;
import io.sparkcae.jobs.testing.LocalSpark;
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

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** prep, train and encode run one after another as separate commands, on a slice of real Fashion-MNIST. */
@ExtendWith(LocalSpark.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class StagesEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path tmp;
    static Path data;
    static Path run;

    @BeforeAll
    static void slice() throws Exception {
        data = FashionMnistSlice.write(tmp.resolve("fmnist"), 1500, 300);
        run = tmp.resolve("run");
    }

    private static String[] args(String stage, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of(stage, "--data", data.toString(), "--run-dir", run.toString(),
                "--set", "train.epochs=2", "--set", "train.batch-size=32", "--set", "train.averaging-frequency=5",
                "--set", "prep.records-per-task=400"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    @Order(1)
    void prepWritesThePatchDatasetAndManifest() throws Exception {
        CliRun r = CliRun.of(args("prep"));
        assertEquals(0, r.exitCode(), r.toString());
        Path patches = StageDirs.output(run, "prep").resolve("patches");
        JsonNode m = JSON.readTree(patches.resolve("_manifest.json").toFile());
        assertEquals(1, m.get("schemaVersion").asInt());
        assertEquals("[1,28,28]", m.get("patchShape").toString());
        assertEquals(300, m.get("counts").get("test").asLong());
        assertEquals(1500, m.get("counts").get("train").asLong() + m.get("counts").get("val").asLong());
        assertEquals(150, m.get("counts").get("val").asLong(), 45); // 10% of 1500, hash-assigned
        double mean = m.get("trainStats").get(0).get("mean").asDouble();
        assertTrue(mean > 0.2 && mean < 0.4, "Fashion-MNIST mean intensity ~0.29, got " + mean);
        assertEquals(0.0, m.get("trainStats").get(0).get("min").asDouble());
        assertEquals(1.0, m.get("trainStats").get(0).get("max").asDouble());

        SparkSession spark = LocalSpark.get();
        Dataset<Row> rows = spark.read().parquet(patches.toString());
        assertEquals(1800, rows.count());
        Row first = rows.filter(col("id").equalTo("train-images-idx3-ubyte.gz:0")).first();
        assertEquals(9, first.getInt(first.fieldIndex("label"))); // the first training image is an ankle boot
        assertEquals(784 * 4, ((byte[]) first.get(first.fieldIndex("data"))).length);
        assertTrue(Files.exists(run.resolve("prep/_SUCCESS")));
    }

    @Test
    @Order(2)
    void trainWritesModelMetricsAndFigures() throws Exception {
        CliRun r = CliRun.of(args("train"));
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(Files.exists(run.resolve("train/_SUCCESS")));
        Path t = StageDirs.output(run, "train");
        for (String f : List.of("model.zip", "model.json", "metrics.jsonl", "metrics.json")) {
            assertTrue(Files.exists(t.resolve(f)), f);
        }
        List<String> lines = Files.readAllLines(t.resolve("metrics.jsonl"));
        assertEquals(2, lines.size());
        double val1 = JSON.readTree(lines.get(0)).get("val_mse").asDouble();
        double val2 = JSON.readTree(lines.get(1)).get("val_mse").asDouble();
        assertTrue(val2 < val1, "validation MSE falls: " + val1 + " -> " + val2);
        assertTrue(val2 < 0.08, "learned something beyond the mean image: " + val2);
        JsonNode meta = JSON.readTree(t.resolve("model.json").toFile());
        assertEquals(32, meta.get("latentSize").asInt());
        assertEquals("[1,28,28]", meta.get("inputShape").toString());
        JsonNode threshold = meta.get("threshold");
        assertEquals(0.99, threshold.get("quantile").asDouble());
        long valCount = LocalSpark.get().read().parquet(StageDirs.output(run, "prep").resolve("patches").toString())
                .filter(col("split").equalTo("val")).count();
        assertEquals(valCount, threshold.get("calibrationPatches").asLong());
        assertTrue(threshold.get("value").asDouble() > val2, "the 0.99 quantile of val MSE is above its mean");

        BufferedImage loss = ImageIO.read(t.resolve("loss.png").toFile());
        assertNotNull(loss);
        BufferedImage grid = ImageIO.read(t.resolve("reconstructions.png").toFile());
        assertNotNull(grid);
        assertTrue(grid.getHeight() > 2 * 28 && grid.getWidth() > grid.getHeight(), grid.getWidth() + "x" + grid.getHeight());
    }

    @Test
    @Order(3)
    void encodeWritesLatentsAndTestMetrics() throws Exception {
        CliRun r = CliRun.of(args("encode"));
        assertEquals(0, r.exitCode(), r.toString());
        SparkSession spark = LocalSpark.get();
        Dataset<Row> z = spark.read().parquet(StageDirs.output(run, "encode").resolve("latents").toString());
        assertEquals(1800, z.count());
        assertArrayEquals(new String[]{"id", "split", "label", "z", "recon_mse"}, z.columns());
        Row one = z.first();
        assertEquals(32, one.getList(3).size());
        double testMse = z.filter(col("split").equalTo("test")).agg(avg("recon_mse")).first().getDouble(0);
        JsonNode metrics = JSON.readTree(StageDirs.output(run, "encode").resolve("metrics.json").toFile());
        assertEquals(testMse, metrics.get("test_mse").asDouble(), 1e-12);
        double psnr = metrics.get("test_psnr").asDouble();
        assertTrue(psnr > 10 && psnr < 40, "PSNR in dB: " + psnr);
        assertEquals(300, metrics.get("test_patches").asLong());
    }

    @Test
    @Order(4)
    void rerunWithSkipDoesNothingAndWithFailRefuses() throws Exception {
        long before = Files.getLastModifiedTime(run.resolve("encode/_SUCCESS")).toMillis();
        CliRun skip = CliRun.of(args("encode", "--if-exists", "skip"));
        assertEquals(0, skip.exitCode(), skip.toString());
        assertEquals(before, Files.getLastModifiedTime(run.resolve("encode/_SUCCESS")).toMillis());

        CliRun fail = CliRun.of(args("encode"));
        assertEquals(2, fail.exitCode(), fail.toString());
        assertTrue(fail.err().contains("already exists"), fail.err());

        CliRun different = CliRun.of(args("encode", "--if-exists", "skip", "--set", "encode.batch-size=100"));
        assertEquals(2, different.exitCode(), different.toString());
        assertTrue(different.err().contains("a different run"), different.err());
        try (var s = Files.list(run)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temp dirs left");
        }
    }

    @Test
    @Order(5)
    void scoreCalibratesAThresholdOnValAndReportsAuc() throws Exception {
        CliRun r = CliRun.of(args("score", "--set", "score.normal-labels=[0]", "--set", "score.threshold-quantile=0.9",
                "--set", "score.residual-maps=3"));
        assertEquals(0, r.exitCode(), r.toString());
        Path s = StageDirs.output(run, "score");
        JsonNode metrics = JSON.readTree(s.resolve("metrics.json").toFile());
        SparkSession spark = LocalSpark.get();
        Dataset<Row> scores = spark.read().parquet(s.resolve("scores").toString());
        assertEquals(1800, scores.count());
        // a quantile other than the model's: recalibrated on the val patches of the normal label only
        assertEquals("recalibrated", metrics.get("threshold_source").asText());
        double[] val = scores.filter(col("split").equalTo("val").and(col("label").equalTo(0))).select("mse")
                .collectAsList().stream().mapToDouble(x -> x.getDouble(0)).sorted().toArray();
        double threshold = metrics.get("threshold").asDouble();
        // numpy-style linear quantile at 0.9
        double pos = 0.9 * (val.length - 1);
        int lo = (int) Math.floor(pos);
        double expected = val[lo] + (pos - lo) * (val[Math.min(lo + 1, val.length - 1)] - val[lo]);
        // the calibration pass batches val patches differently from the full pass: last-bit float differences
        assertEquals(expected, threshold, 1e-6 * expected);
        assertEquals(0, scores.filter(col("flagged").notEqual(col("mse").gt(threshold))).count());
        long flaggedTest = scores.filter(col("split").equalTo("test").and(col("flagged"))).count();
        assertEquals(flaggedTest, metrics.get("test_flagged").asLong());
        double auc = metrics.get("auroc").asDouble();
        assertTrue(auc > 0 && auc < 1, "AUC " + auc);
        double ssim = metrics.get("test_ssim").asDouble();
        assertTrue(ssim > 0 && ssim < 1, "SSIM " + ssim);
        for (String f : List.of("roc.png", "score_histogram.png", "residuals/residual_00.png", "threshold.json")) {
            assertTrue(Files.exists(s.resolve(f)), f);
        }

        // the model's quantile: its stored threshold is applied as is
        CliRun again = CliRun.of(args("score", "--if-exists", "overwrite", "--set", "score.normal-labels=[0]",
                "--set", "score.residual-maps=3"));
        assertEquals(0, again.exitCode(), again.toString());
        JsonNode m2 = JSON.readTree(StageDirs.output(run, "score").resolve("metrics.json").toFile());
        assertEquals("model", m2.get("threshold_source").asText());
        double stored = JSON.readTree(StageDirs.output(run, "train").resolve("model.json").toFile()).get("threshold").get("value").asDouble();
        assertEquals(stored, m2.get("threshold").asDouble());
    }

    @Test
    @Order(6)
    void trainOnOneLabelOnlyUsesOnlyThoseSamples() throws Exception {
        CliRun r = CliRun.of("train", "--data", data.toString(), "--run-dir", run.toString(),
                "--set", "train.epochs=1", "--set", "train.batch-size=32", "--set", "train.labels=[0]",
                "--set", "prep.records-per-task=400", "--if-exists", "overwrite");
        assertEquals(0, r.exitCode(), r.toString());
        long zeros = LocalSpark.get().read().parquet(StageDirs.output(run, "prep").resolve("patches").toString())
                .filter(col("split").equalTo("train").and(col("label").equalTo(0))).count();
        JsonNode metrics = JSON.readTree(StageDirs.output(run, "train").resolve("metrics.json").toFile());
        assertEquals(zeros, metrics.get("train_samples").asLong());
        assertTrue(zeros > 50 && zeros < 300, "about a tenth of 1500: " + zeros);
    }

    @Test
    @Order(7)
    void reportPutsEveryStageOnOnePageWithItsFigures() throws Exception {
        CliRun r = CliRun.of("report", "--run-dir", run.toString(), "--data", data.toString());
        assertEquals(0, r.exitCode(), r.toString());
        Path report = StageDirs.output(run, "report");
        String html = Files.readString(report.resolve("report.html"));
        for (String stage : List.of("prep", "train", "encode", "score")) {
            assertTrue(html.contains("<h2>" + stage + "</h2>"), stage);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("src=\"([^\"]+)\"").matcher(html);
        int images = 0;
        while (m.find()) {
            images++;
            assertNotNull(ImageIO.read(report.resolve(m.group(1)).toFile()), m.group(1));
        }
        assertTrue(images >= 6, "loss, reconstructions, roc, histogram, residuals, latent PCA: " + images);
        assertTrue(Files.exists(report.resolve("encode-latent-pca.png")));
    }
}
