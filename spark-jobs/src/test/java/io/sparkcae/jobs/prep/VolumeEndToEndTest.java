package io.sparkcae.jobs.prep;

import io.sparkcae.jobs.testing.StageDirs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.jobs.testing.CliRun;
import io.sparkcae.jobs.testing.LocalSpark;
import io.sparkcae.jobs.testing.NpyFloats;
import io.sparkcae.prep.samples.AdvectionDiffusionSimulator;
import io.sparkcae.prep.samples.SimParams;
import io.sparkcae.prep.samples.Simulation;
import io.sparkcae.prep.samples.SimulationWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The 3D path on a real simulation (advection-diffusion, several channels, a time series): NPY and HDF5
 * prep to the same 3D patches, reassembly gives back every time step exactly, a 3D CAE trains with falling
 * validation error, and encode writes the latents.
 */
@ExtendWith(LocalSpark.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class VolumeEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;

    private String[] args(String stage, Path data, String run, String... extra) {
        List<String> a = new ArrayList<>(List.of(stage, "--data", data.toString(), "--run-dir", tmp.resolve(run).toString(),
                "--set", "patch.size=[8,8,8]", "--set", "patch.stride=[4,4,4]", "--set", "data.normalization=minmax",
                "--set", "data.val-fraction=0.15", "--set", "data.test-fraction=0.15",
                "--set", "model.encoder-channels=[8,8]", "--set", "model.latent-dim=8",
                "--set", "train.batch-size=16", "--set", "train.epochs=3", "--set", "train.averaging-frequency=5"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void simulationPatchesReassembleTrainAndEncodeIn3d() throws Exception {
        SimParams p = SimParams.defaults("sim").withGrid(16, 6).withChannels(4).withSeed(3);
        Path dir = Files.createDirectories(tmp.resolve("sim"));
        SimulationWriter.generate(dir, p);
        Path npy = dir.resolve("sim.npy");
        Path h5 = dir.resolve("sim.h5");
        assertTrue(Files.exists(npy) && Files.exists(h5));

        assertEquals(0, CliRun.of(args("prep", npy, "npy")).exitCode());
        CliRun fromH5 = CliRun.of(args("prep", h5, "h5", "--set", "data.hdf5-dataset=/fields"));
        assertEquals(0, fromH5.exitCode(), fromH5.toString());
        Dataset<Row> a = LocalSpark.get().read().parquet(StageDirs.output(tmp.resolve("npy"), "prep").resolve("patches").toString()).select("origin", "data");
        Dataset<Row> b = LocalSpark.get().read().parquet(StageDirs.output(tmp.resolve("h5"), "prep").resolve("patches").toString()).select("origin", "data");
        // 6 steps x 3^3 windows of 4x8x8x8
        assertEquals(6 * 27, a.count());
        assertEquals(0, a.except(b).count(), "NPY and HDF5 give the same patches");
        // statistics per channel of the volume (its 4 fields), not per data.image.channels
        JsonNode stats = JSON.readTree(StageDirs.output(tmp.resolve("npy"), "prep").resolve("patches/_manifest.json").toFile()).get("trainStats");
        assertEquals(4, stats.size(), stats.toString());
        assertTrue(stats.get(0).get("max").asDouble() != stats.get(3).get("max").asDouble(), stats.toString());

        CliRun re = CliRun.of(args("reassemble", npy, "npy"));
        assertEquals(0, re.exitCode(), re.toString());
        Simulation sim = new AdvectionDiffusionSimulator(p).run();
        for (int t = 0; t < 6; t++) {
            float[] back = NpyFloats.read(StageDirs.output(tmp.resolve("npy"), "reassemble").resolve("sim.npy_" + t + ".npy"), new int[]{4, 16, 16, 16});
            float[] truth = sim.frames().get(t);
            for (int i = 0; i < truth.length; i++) {
                assertEquals(truth[i], back[i], 1e-6 * Math.max(1, Math.abs(truth[i])), "t=" + t + " i=" + i);
            }
        }

        CliRun train = CliRun.of(args("train", npy, "npy"));
        assertEquals(0, train.exitCode(), train.toString());
        List<String> lines = Files.readAllLines(StageDirs.output(tmp.resolve("npy"), "train").resolve("metrics.jsonl"));
        double first = JSON.readTree(lines.get(0)).get("val_mse").asDouble();
        double last = JSON.readTree(lines.get(2)).get("val_mse").asDouble();
        assertTrue(last < first, "3D validation MSE falls: " + first + " -> " + last);
        JsonNode meta = JSON.readTree(StageDirs.output(tmp.resolve("npy"), "train").resolve("model.json").toFile());
        assertEquals("[4,8,8,8]", meta.get("inputShape").toString());
        assertEquals("MINMAX", meta.get("normalization").asText());

        CliRun enc = CliRun.of(args("encode", npy, "npy"));
        assertEquals(0, enc.exitCode(), enc.toString());
        Dataset<Row> z = LocalSpark.get().read().parquet(StageDirs.output(tmp.resolve("npy"), "encode").resolve("latents").toString());
        assertEquals(6 * 27, z.count());
        assertEquals(8, z.first().getList(3).size());
        assertFalse(Double.isNaN(JSON.readTree(StageDirs.output(tmp.resolve("npy"), "encode").resolve("metrics.json").toFile()).get("test_mse").asDouble()));
    }
}
