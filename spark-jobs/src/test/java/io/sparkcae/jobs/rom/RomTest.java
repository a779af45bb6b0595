package io.sparkcae.jobs.rom;

import io.sparkcae.jobs.testing.StageDirs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.jobs.testing.CliRun;
import io.sparkcae.jobs.testing.LocalSpark;
import io.sparkcae.prep.samples.SimParams;
import io.sparkcae.prep.samples.SimulationWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rom on two simulations, one whole-volume patch per time step: trajectories, the Spark POD's ranks and error
 * curve, and the latent-size sweep (one CAE per size, the train stage's own model reused for its size).
 */
@ExtendWith(LocalSpark.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RomTest {
    @TempDir
    Path tmp;

    @Test
    void trajectoriesAndPodBaselineForASimulationSeries() throws Exception {
        Path sims = Files.createDirectories(tmp.resolve("sims"));
        SimulationWriter.generate(sims, SimParams.defaults("a").withGrid(16, 12).withChannels(1).withSeed(1));
        SimulationWriter.generate(sims, SimParams.defaults("b").withGrid(16, 12).withChannels(1).withSeed(2)
                .withDiffusivity(0.05));
        String[] common = {"--data", sims.toString(), "--run-dir", tmp.resolve("run").toString(),
                "--set", "data.format=npy", "--set", "data.normalization=minmax",
                "--set", "data.val-fraction=0.2", "--set", "data.test-fraction=0.25",
                "--set", "model.encoder-channels=[8,8]", "--set", "model.latent-dim=4",
                "--set", "train.epochs=2", "--set", "train.batch-size=4", "--set", "train.checkpoint-every-epochs=0",
                "--set", "rom.latent-sizes=[2,4]"};
        for (String stage : new String[]{"prep", "train"}) {
            CliRun r = CliRun.of(with(stage, common));
            assertEquals(0, r.exitCode(), stage + ": " + r);
        }
        CliRun refused = CliRun.of(with("rom", with("--set", with("rom.pod-max-snapshots=5", common))));
        assertEquals(2, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("sparkcae.rom.pod-max-snapshots"), refused.err());
        assertTrue(Files.notExists(tmp.resolve("run/rom")), "a refused rom leaves no output");
        CliRun rom = CliRun.of(with("rom", common));
        assertEquals(0, rom.exitCode(), "rom: " + rom);
        Dataset<Row> traj = LocalSpark.get().read().parquet(StageDirs.output(tmp.resolve("run"), "rom").resolve("trajectories").toString());
        assertEquals(24, traj.count());
        assertEquals(2, traj.select("sim_id").distinct().count());
        assertEquals(12, traj.filter(col("sim_id").equalTo("a.npy")).count());
        assertEquals(4, traj.first().getList(traj.first().fieldIndex("z")).size());

        JsonNode m = new ObjectMapper().readTree(StageDirs.output(tmp.resolve("run"), "rom").resolve("metrics.json").toFile());
        int r90 = m.get("rank_90").asInt();
        int r99 = m.get("rank_99").asInt();
        int r999 = m.get("rank_999").asInt();
        assertTrue(1 <= r90 && r90 <= r99 && r99 <= r999, r90 + " " + r99 + " " + r999);
        JsonNode curve = m.get("pod_test_mse_by_modes");
        assertTrue(curve.size() >= 4);
        for (int k = 1; k < curve.size(); k++) {
            assertTrue(curve.get(k).asDouble() <= curve.get(k - 1).asDouble() + 1e-9, "POD error falls with modes");
        }
        double cae = m.get("cae_test_mse").asDouble();
        assertTrue(Double.isFinite(cae));
        assertTrue(Files.exists(StageDirs.output(tmp.resolve("run"), "rom").resolve("error_vs_latent_size.png")));
        assertTrue(m.get("recommendation").asText().length() > 0);
        assertTrue(m.get("test_mse_of_train_mean").asDouble() >= curve.get(0).asDouble());

        // the sweep: a CAE per size; size 4 is the train stage's model (same config), size 2 trained by rom
        JsonNode sweep = m.get("cae_test_mse_by_latent_size");
        assertEquals(2, sweep.size(), sweep.toString());
        assertEquals(cae, sweep.get("4").asDouble(), 1e-12);
        assertTrue(Double.isFinite(sweep.get("2").asDouble()) && sweep.get("2").asDouble() > 0);
        assertTrue(Files.exists(tmp.resolve("run/rom-models/latent-2/train/_SUCCESS")));
        assertTrue(Files.notExists(tmp.resolve("run/rom-models/latent-4")));
        // the guardrail: every size whose CAE loses to the train mean or to POD with as many modes is flagged,
        // with the cause its 2-epoch history shows
        double mean = m.get("test_mse_of_train_mean").asDouble();
        int losing = 0;
        for (int k : new int[]{2, 4}) {
            double e = sweep.get(String.valueOf(k)).asDouble();
            losing += e >= mean || e >= curve.get(k - 1).asDouble() ? 1 : 0;
        }
        JsonNode warnings = m.get("warnings");
        assertEquals(losing, warnings.size(), warnings.toString());
        for (JsonNode w : warnings) {
            assertEquals("CAE", w.get("model").asText());
            assertTrue(w.get("causes").toString().contains("too few epochs: only 2 ran (raise train.epochs)"), w.toString());
        }
        JsonNode sub = new ObjectMapper().readTree(StageDirs.output(tmp.resolve("run/rom-models/latent-2"), "train").resolve("model.json").toFile());
        assertEquals(2, sub.get("latentSize").asInt());
        // the POD modes, one row per (mode, column block)
        assertTrue(LocalSpark.get().read().parquet(StageDirs.output(tmp.resolve("run"), "rom").resolve("pod_modes").toString())
                .select("mode").distinct().count() >= 4);

        // rom again after its output is gone: the swept model is reused (its train output skipped), not retrained
        long trained = Files.getLastModifiedTime(tmp.resolve("run/rom-models/latent-2/train/_SUCCESS")).toMillis();
        try (var walk = Files.walk(tmp.resolve("run/rom"))) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        CliRun again = CliRun.of(with("rom", common));
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(trained, Files.getLastModifiedTime(tmp.resolve("run/rom-models/latent-2/train/_SUCCESS")).toMillis());
        JsonNode m2 = new ObjectMapper().readTree(StageDirs.output(tmp.resolve("run"), "rom").resolve("metrics.json").toFile());
        assertEquals(sweep.get("2").asDouble(), m2.get("cae_test_mse_by_latent_size").get("2").asDouble(), 1e-9);
    }

    private static String[] with(String first, String[] rest) {
        String[] a = new String[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }
}
