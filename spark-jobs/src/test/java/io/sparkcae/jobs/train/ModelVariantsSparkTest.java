package io.sparkcae.jobs.train;

import io.sparkcae.jobs.testing.StageDirs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.report.PatchGrid;
import io.sparkcae.jobs.testing.CliRun;
import io.sparkcae.jobs.testing.FashionMnistSlice;
import io.sparkcae.jobs.testing.LocalSpark;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each model variant trained through the train stage on Spark (local mode) on a slice of real
 * Fashion-MNIST, checked for the property that defines it, then taken through encode / score / report.
 */
@ExtendWith(LocalSpark.class)
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class ModelVariantsSparkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path tmp;
    static Path data;
    static Path prepared;

    @BeforeAll
    static void prep() throws Exception {
        data = FashionMnistSlice.write(tmp.resolve("fmnist"), 1200, 200);
        prepared = tmp.resolve("base");
        CliRun r = CliRun.of(args(prepared, "prep"));
        assertEquals(0, r.exitCode(), r.toString());
    }

    private static String[] args(Path run, String stage, String... extra) {
        List<String> a = new ArrayList<>(List.of(stage, "--data", data.toString(), "--run-dir", run.toString(),
                "--set", "seed=3", "--set", "train.batch-size=32", "--set", "train.averaging-frequency=5",
                "--set", "prep.records-per-task=400", "--set", "model.latent-dim=2"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    /** Trains in a fresh run dir holding a copy of the one prepared patch dataset. */
    private static Path train(String name, String... sets) throws Exception {
        Path run = tmp.resolve(name);
        FileUtils.copyDirectory(prepared.resolve("prep").toFile(), run.resolve("prep").toFile());
        List<String> extra = new ArrayList<>();
        for (String s : sets) {
            extra.add("--set");
            extra.add(s);
        }
        CliRun r = CliRun.of(args(run, "train", extra.toArray(String[]::new)));
        assertEquals(0, r.exitCode(), r.toString());
        return run;
    }

    private static JsonNode metrics(Path run, String stage) throws Exception {
        return JSON.readTree(StageDirs.output(run, stage).resolve("metrics.json").toFile());
    }

    private static List<JsonNode> epochs(Path run) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(StageDirs.output(run, "train").resolve("metrics.jsonl"))) {
            out.add(JSON.readTree(l));
        }
        return out;
    }

    /** Mean |z| over the val patches' latents written by the encode stage. */
    private static double meanAbsValLatent(Path run) throws Exception {
        CliRun r = CliRun.of(args(run, "encode"));
        assertEquals(0, r.exitCode(), r.toString());
        double sum = 0;
        long n = 0;
        for (Row row : LocalSpark.get().read().parquet(StageDirs.output(run, "encode").resolve("latents").toString())
                .filter(col("split").equalTo("val")).select("z").collectAsList()) {
            for (Object v : row.getList(0)) {
                sum += Math.abs(((Number) v).doubleValue());
                n++;
            }
        }
        return sum / n;
    }

    @Test
    void skipConnectionsReconstructClearlyBetterThroughTheSameTinyBottleneckAndSparseLatentIsSmaller()
            throws Exception {
        Path plain = train("plain", "train.epochs=2");
        Path skips = train("skips", "train.epochs=2", "model.skip-connections=true");
        // the reconstruction term DL4J minimises is the per-image sum over pixels (784 here), so a lambda of
        // order 1 is what makes the penalty matter
        Path sparse = train("sparse", "train.epochs=2", "model.latent-l1=5");
        double plainMse = metrics(plain, "train").get("best_val_mse").asDouble();
        double skipMse = metrics(skips, "train").get("best_val_mse").asDouble();
        assertTrue(skipMse < 0.5 * plainMse, "U-Net val MSE " + skipMse + " vs plain " + plainMse);

        double plainZ = meanAbsValLatent(plain);
        double sparseZ = meanAbsValLatent(sparse);
        assertTrue(sparseZ < 0.7 * plainZ, "mean |z| on val: sparse " + sparseZ + " vs plain " + plainZ);
        // a U-Net still encodes to its bottleneck
        assertEquals(2, LocalSpark.get().read().parquet(encoded(skips).toString()).first().getList(3).size());
    }

    private static Path encoded(Path run) throws Exception {
        CliRun r = CliRun.of(args(run, "encode"));
        assertEquals(0, r.exitCode(), r.toString());
        return StageDirs.output(run, "encode").resolve("latents");
    }

    @Test
    void variationalKlIsFiniteFallsAndItsWarmUpReachesTheWorkers() throws Exception {
        // at the reference preset's constant 1e-3: with a peak several times higher, a KL weight of 20 pulls
        // the code onto the prior within the first epoch, and there is no fall left to see
        Path vae = train("vae", "model.preset=reference", "train.epochs=3", "model.variational=true",
                "model.kl-beta=20", "model.latent-dim=8", "train.kl-warmup-epochs=2");
        List<JsonNode> e = epochs(vae);
        assertEquals(3, e.size());
        assertEquals(10, e.get(0).get("kl_beta").asDouble(), 1e-12, "warm-up: half the weight in epoch 1");
        assertEquals(20, e.get(1).get("kl_beta").asDouble(), 1e-12);
        assertEquals(20, e.get(2).get("kl_beta").asDouble(), 1e-12);
        double kl1 = e.get(0).get("kl").asDouble();
        double kl3 = e.get(2).get("kl").asDouble();
        assertTrue(Double.isFinite(kl1) && Double.isFinite(kl3) && kl3 > 0, kl1 + " " + kl3);
        assertTrue(kl3 < kl1, "KL falls: " + kl1 + " -> " + kl3);

        // The warm-up factor is changed on the driver every epoch; the workers train copies of the network
        // built from the configuration DL4J ships them. With a warm-up of 1000 epochs they must see a KL
        // weight of at most 0.06 instead of 20, so the code drifts far from the prior.
        Path slow = train("vae-slow-warm-up", "model.preset=reference", "train.epochs=3", "model.variational=true",
                "model.kl-beta=20", "model.latent-dim=8", "train.kl-warmup-epochs=1000");
        assertEquals(0.06, epochs(slow).get(2).get("kl_beta").asDouble(), 1e-12);
        double klSlow = epochs(slow).get(2).get("kl").asDouble();
        assertTrue(klSlow > 5 * kl3, "KL with weight <= 0.06: " + klSlow + ", with weight 20: " + kl3);

        int tile = 28 * 3; // 84 / 28 = scale 3
        BufferedImage samples = ImageIO.read(StageDirs.output(vae, "train").resolve("samples.png").toFile());
        assertNotNull(samples);
        assertEquals(PatchGrid.size(VariationalFigures.SAMPLE_COLUMNS, tile), samples.getWidth());
        assertEquals(PatchGrid.size(VariationalFigures.SAMPLE_ROWS, tile), samples.getHeight());
        BufferedImage walk = ImageIO.read(StageDirs.output(vae, "train").resolve("interpolation.png").toFile());
        assertNotNull(walk);
        assertEquals(PatchGrid.size(VariationalFigures.STEPS + 2, tile), walk.getWidth());
        assertEquals(PatchGrid.size(1, tile), walk.getHeight());

        // the other stages take a variational model as it is: encode gives the 8-d means, score and report run
        assertEquals(8, LocalSpark.get().read().parquet(encoded(vae).toString()).first().getList(3).size());
        JsonNode meta = JSON.readTree(StageDirs.output(vae, "train").resolve("model.json").toFile());
        assertTrue(meta.get("spec").get("variational").asBoolean());
        CliRun score = CliRun.of(args(vae, "score", "--set", "score.normal-labels=[0]"));
        assertEquals(0, score.exitCode(), score.toString());
        assertTrue(Double.isFinite(metrics(vae, "score").get("auroc").asDouble()));
        CliRun report = CliRun.of("report", "--run-dir", vae.toString(), "--data", data.toString());
        assertEquals(0, report.exitCode(), report.toString());
        String html = Files.readString(StageDirs.output(vae, "report").resolve("report.html"));
        assertTrue(html.contains("train-samples.png") && html.contains("train-interpolation.png"));
    }
}
