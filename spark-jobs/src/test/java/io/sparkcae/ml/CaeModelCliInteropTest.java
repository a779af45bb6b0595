package io.sparkcae.ml;

import io.sparkcae.jobs.testing.StageDirs;
import io.sparkcae.jobs.common.ModelStore;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library and the CLI read each other's models: a model fitted and saved through the Spark ML API, then
 * loaded in a fresh Spark session, gives the latents {@code sparkcae encode --model} writes with it; a
 * model written by {@code sparkcae train} loads with {@link CaeModel#load} and transforms.
 */
@ExtendWith(LocalSpark.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class CaeModelCliInteropTest {
    /** A small net, one epoch: the test is about formats and equality, not quality. */
    private static final String[] SMALL = {"--set", "train.epochs=1", "--set", "train.batch-size=64",
            "--set", "model.encoder-channels=[8,8]", "--set", "model.latent-dim=8", "--set", "prep.records-per-task=600"};
    @TempDir
    static Path tmp;
    static Path data;
    static Path run;
    static String patchesDir;

    @BeforeAll
    static void prep() throws Exception {
        data = FashionMnistSlice.write(tmp.resolve("fmnist"), 1200, 200);
        run = tmp.resolve("run");
        CliRun r = cli("prep");
        assertEquals(0, r.exitCode(), r.toString());
        patchesDir = StageDirs.output(run, "prep").resolve("patches").toString();
    }

    private static CliRun cli(String stage, String... extra) {
        List<String> a = new ArrayList<>(List.of(stage, "--data", data.toString(), "--run-dir", run.toString()));
        a.addAll(List.of(SMALL));
        a.addAll(List.of(extra));
        return CliRun.of(a.toArray(String[]::new));
    }

    @Test
    @Order(1)
    void apiModelSavedAndLoadedInAFreshSessionEncodesLikeTheCli() throws Exception {
        SparkSession first = LocalSpark.get();
        Dataset<Row> patches = first.read().parquet(patchesDir);
        CaeEstimator estimator = new CaeEstimator().setEncoderChannels(new int[]{8, 8}).setLatentDim(8)
                .setEpochs(1).setBatchSize(64);
        assertEquals(8, estimator.toConf().model().latentDim());
        assertEquals(512, estimator.getInferenceBatchSize(), "default from conf/sparkcae-defaults.conf");
        CaeModel fitted = estimator.fit(patches);
        assertEquals(8, fitted.latentSize());
        assertNotNull(fitted.threshold(), "threshold calibrated on the val rows");
        String saved = tmp.resolve("api-model").toString();
        fitted.save(saved);
        assertTrue(Files.exists(Path.of(saved, ModelStore.MODEL_ZIP)));
        assertTrue(Files.exists(Path.of(saved, ModelStore.MODEL_JSON)));
        first.stop();

        SparkSession fresh = LocalSpark.get();
        assertNotEquals(first.sparkContext(), fresh.sparkContext());
        CaeModel loaded = CaeModel.load(saved);
        assertEquals(fitted.uid(), loaded.uid(), "Spark ML metadata read back");
        Dataset<Row> out = loaded.transform(fresh.read().parquet(patchesDir));
        List<String> cols = List.of(out.columns());
        assertTrue(cols.containsAll(List.of("id", "data", "latent", "recon_error", "anomaly")), cols.toString());
        Map<String, float[]> api = latents(out.select("id", "latent").collectAsList());
        assertEquals(1400, api.size());

        CliRun r = cli("encode", "--model", saved);
        assertEquals(0, r.exitCode(), r.toString());
        List<Row> cliRows = RunOutputs.latents(fresh, run.toString()).select("id", "z").collectAsList();
        Map<String, float[]> cliZ = latents(cliRows);
        assertEquals(api.keySet(), cliZ.keySet());
        double maxDiff = 0;
        for (Map.Entry<String, float[]> e : api.entrySet()) {
            float[] b = cliZ.get(e.getKey());
            assertEquals(8, b.length);
            for (int i = 0; i < b.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(e.getValue()[i] - b[i]));
            }
        }
        assertTrue(maxDiff <= 1e-6, "API vs CLI latents differ by " + maxDiff);
    }

    @Test
    @Order(2)
    void cliTrainedModelLoadsAndTransformsWithItsThreshold() throws Exception {
        CliRun r = cli("train");
        assertEquals(0, r.exitCode(), r.toString());
        CaeModel model = CaeModel.load(run.resolve("train").toString());
        assertArrayEquals(new int[]{1, 28, 28}, model.inputShape().dims());
        assertEquals(8, model.latentSize());
        SparkSession spark = LocalSpark.get();
        Dataset<Row> val = model.setLatentCol("z").transform(spark.read().parquet(patchesDir))
                .filter(col("split").equalTo("val")).cache();
        long n = val.count();
        assertEquals(n, model.threshold().calibrationPatches(), "train calibrated the threshold on the val split");
        Row first = val.first();
        assertEquals(8, first.getList(first.fieldIndex("z")).size());
        // the threshold is the 0.99 quantile of exactly these errors: about 1% of val lies above it
        long flagged = val.filter(col("anomaly")).count();
        assertTrue(flagged <= Math.ceil(0.01 * n) + 1, flagged + " of " + n + " val patches flagged");
        assertEquals(flagged, val.filter(col("recon_error").gt(model.threshold().value())).count());
        val.unpersist();

        // the estimator runs the train stage's training: same rows, settings and seed, same network
        CaeModel api = CaeModel.load(tmp.resolve("api-model").toString());
        double maxDiff = api.network().network().params().sub(model.network().network().params())
                .amaxNumber().doubleValue();
        assertTrue(maxDiff < 1e-5, "API and CLI training differ by " + maxDiff);
    }

    private static Map<String, float[]> latents(List<Row> rows) {
        Map<String, float[]> out = new HashMap<>();
        for (Row r : rows) {
            List<Float> z = r.getList(1);
            float[] a = new float[z.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = z.get(i);
            }
            out.put(r.getString(0), a);
        }
        return out;
    }
}
