package io.sparkcae.jobs.rom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.jobs.testing.CliRun;
import io.sparkcae.jobs.testing.LocalSpark;
import io.sparkcae.jobs.testing.StageDirs;
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
 * {@code rom.method = all} on a small decaying Taylor–Green vortex (16³, four fields): POD, one CAE per latent
 * size (the train stage's reused for its size) and one POD-autoencoder per size in one table, one CSV, one
 * plot, with the guardrail judging both kinds of model. The vortex's decay is one trajectory through state
 * space, which a 1-d POD-AE latent follows far better than the first POD mode.
 */
@ExtendWith(LocalSpark.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RomAllMethodsTest {
    @TempDir
    Path tmp;

    @Test
    void comparesPodTheCaeAndThePodAutoencoderPerLatentSize() throws Exception {
        Path data = tmp.resolve("tgv");
        // a Reynolds number the 16^3 lattice cannot hold stably is refused as a usage error
        CliRun refused = CliRun.of("simulate", "--case", "taylor-green-3d", "--n", "16", "--re", "1000",
                "--out", data.toString());
        assertEquals(2, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("relaxation time"), refused.err());
        CliRun sim = CliRun.of("simulate", "--case", "taylor-green-3d", "--n", "16", "--re", "100", "--steps", "48",
                "--end-time", "6", "--out", data.toString());
        assertEquals(0, sim.exitCode(), sim.toString());
        assertTrue(Files.exists(data.resolve("tgv-re100-n16.npy")));
        Path run = tmp.resolve("run");
        String[] common = {"--data", data.toString(), "--run-dir", run.toString(),
                "--set", "data.format=npy", "--set", "data.normalization=minmax", "--set", "patch.size=[]",
                "--set", "data.val-fraction=0.15", "--set", "data.test-fraction=0.2",
                "--set", "model.encoder-channels=[4,4]", "--set", "model.latent-dim=2",
                "--set", "train.epochs=2", "--set", "train.batch-size=8", "--set", "train.checkpoint-every-epochs=0",
                "--set", "rom.method=all", "--set", "rom.latent-sizes=[1,2]",
                "--set", "rom.pod-ae.epochs=600", "--set", "rom.pod-ae.patience=200"};
        for (String stage : new String[]{"prep", "train", "rom"}) {
            CliRun r = CliRun.of(with(stage, common));
            assertEquals(0, r.exitCode(), stage + ": " + r);
        }
        Path out = StageDirs.output(run, "rom");
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals("all", m.get("method").asText());
        JsonNode pod = m.get("pod_test_mse_by_modes");
        JsonNode cae = m.get("cae_test_mse_by_latent_size");
        JsonNode ae = m.get("pod_ae_test_mse_by_latent_size");
        for (String k : new String[]{"1", "2"}) {
            assertTrue(cae.has(k) && Double.isFinite(cae.get(k).asDouble()), cae.toString());
            assertTrue(ae.has(k) && Double.isFinite(ae.get(k).asDouble()), ae.toString());
        }
        // the 2-d CAE is the train stage's; the 1-d one trained by the sweep
        assertEquals(m.get("cae_test_mse").asDouble(), cae.get("2").asDouble(), 1e-12);
        assertTrue(Files.exists(run.resolve("rom-models/latent-1/train/_SUCCESS")));
        assertTrue(ae.get("1").asDouble() < 0.5 * pod.get(0).asDouble(), "POD-AE-1 " + ae.get("1") + " vs POD-1 " + pod.get(0));

        // one table with both models' columns, the train mean as size 0
        String csv = Files.readString(out.resolve("comparison.csv"));
        assertTrue(csv.startsWith("latent_size,pod,cae,pod_ae\n0,"), csv);
        assertTrue(csv.contains("\n1," + pod.get(0).asDouble() + "," + cae.get("1").asDouble() + ","
                + ae.get("1").asDouble() + "\n"), csv);
        String md = Files.readString(out.resolve("comparison.md"));
        assertTrue(md.contains("CAE") && md.contains("POD-AE"), md);
        assertTrue(Files.exists(out.resolve("error_vs_latent_size.png")));

        // the report shows that table and the curve
        CliRun report = CliRun.of("report", "--run-dir", run.toString());
        assertEquals(0, report.exitCode(), report.toString());
        String html = Files.readString(StageDirs.output(run, "report").resolve("report.html"));
        assertTrue(html.contains("<th>latent_size</th><th>pod</th><th>cae</th><th>pod_ae</th>"), html);
        assertTrue(html.contains("rom-error_vs_latent_size.png"), html);

        // the guardrail: each model that loses to the train mean or POD is flagged, with its own history
        double mean = m.get("test_mse_of_train_mean").asDouble();
        String warnings = m.get("warnings").toString();
        for (String model : new String[]{"CAE", "POD-AE"}) {
            JsonNode curve = model.equals("CAE") ? cae : ae;
            for (int k = 1; k <= 2; k++) {
                double e = curve.get(String.valueOf(k)).asDouble();
                boolean loses = e >= mean || e >= pod.get(k - 1).asDouble();
                assertEquals(loses, warnings.contains("\"model\":\"" + model + "\",\"latent_size\":" + k),
                        model + "-" + k + " " + e + ": " + warnings);
            }
        }
        // trajectories come from the train stage's CAE: every step, a 2-d latent
        var traj = LocalSpark.get().read().parquet(out.resolve("trajectories").toString());
        assertEquals(48, traj.count());
        assertEquals(2, traj.first().getList(traj.first().fieldIndex("z")).size());
    }

    private static String[] with(String first, String[] rest) {
        String[] a = new String[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }
}
