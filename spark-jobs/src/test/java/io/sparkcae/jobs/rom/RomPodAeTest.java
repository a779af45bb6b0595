package io.sparkcae.jobs.rom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.jobs.testing.CliRun;
import io.sparkcae.jobs.testing.LocalSpark;
import io.sparkcae.jobs.testing.StageDirs;
import io.sparkcae.prep.samples.CylinderWakeParams;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rom with the POD-autoencoder on a small cylinder wake, with no train stage at all: the wake lives on a limit
 * cycle, so a 2-d nonlinear latent (the shedding phase) rebuilds what POD needs many modes for.
 */
@ExtendWith(LocalSpark.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RomPodAeTest {
    @TempDir
    Path tmp;

    @Test
    void podAutoencoderBeatsPodOnAPeriodicWakeWithoutACae() throws Exception {
        Path data = tmp.resolve("wake");
        // D = 6 at Re 100: a period of ~350 lattice steps, so 80 snapshots 15 apart cover ~3.5 periods
        SimulationWriter.generateCylinderWake(data, new CylinderWakeParams("wake", 96, 36, 6, 100, 0.1, 5000, 80, 15, 2));
        Path run = tmp.resolve("run");
        String[] common = {"--data", data.toString(), "--run-dir", run.toString(),
                "--set", "data.format=npy", "--set", "data.normalization=standardize", "--set", "patch.size=[]",
                "--set", "data.val-fraction=0.15", "--set", "data.test-fraction=0.2",
                "--set", "model.latent-dim=2", "--set", "rom.method=pod-ae", "--set", "rom.latent-sizes=[1,2]",
                "--set", "rom.pod-ae.epochs=400", "--set", "rom.pod-ae.patience=100", "--set", "rom.pod-ae.max-modes=12"};
        CliRun prep = CliRun.of(with("prep", common));
        assertEquals(0, prep.exitCode(), prep.toString());
        CliRun rom = CliRun.of(with("rom", common));
        assertEquals(0, rom.exitCode(), rom.toString());
        assertTrue(Files.notExists(run.resolve("train")), "pod-ae needs no train stage");

        Path out = StageDirs.output(run, "rom");
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        double mean = m.get("test_mse_of_train_mean").asDouble();
        JsonNode pod = m.get("pod_test_mse_by_modes");
        JsonNode ae = m.get("pod_ae_test_mse_by_latent_size");
        double floor = m.get("pod_ae").get("floor_test_mse").asDouble();
        int modes = m.get("pod_ae").get("modes").asInt();
        assertTrue(modes >= 2 && modes <= 12, "modes " + modes);
        String warnings = m.get("warnings").toString();
        for (int k = 1; k <= 2; k++) {
            double e = ae.get(String.valueOf(k)).asDouble();
            // never below POD-N's floor
            assertTrue(e >= floor - 1e-12, k + ": " + e + " < floor " + floor);
            // a 1-d latent for a cycle on 44 snapshots can overfit: then the guardrail must say so
            if (e >= pod.get(k - 1).asDouble()) {
                assertTrue(warnings.contains("\"model\":\"POD-AE\",\"latent_size\":" + k), warnings);
            }
        }
        double ae2 = ae.get("2").asDouble();
        assertTrue(ae2 < 0.5 * pod.get(1).asDouble(), "POD-AE-2 " + ae2 + " vs POD-2 " + pod.get(1) + "; mean " + mean);
        assertTrue(m.get("recommendation").asText().contains("POD-AE"), m.get("recommendation").asText());
        assertTrue(m.get("warnings").isArray());
        assertTrue(Files.readString(out.resolve("comparison.md")).contains("| 0 (train mean) |"));
        assertTrue(Files.readString(out.resolve("comparison.csv")).startsWith("latent_size,pod,pod_ae\n"));
        assertTrue(Files.exists(out.resolve("error_vs_latent_size.png")));
        // trajectories from the 2-d POD-AE: every step, its split, its latent
        Dataset<Row> traj = LocalSpark.get().read().parquet(out.resolve("trajectories").toString());
        assertEquals(80, traj.count());
        assertEquals(2, traj.first().getList(traj.first().fieldIndex("z")).size());
        assertEquals(3, traj.select("split").distinct().count());
    }

    private static String[] with(String first, String[] rest) {
        String[] a = new String[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }
}
