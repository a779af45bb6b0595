package io.sparkcae.jobs.prep;

import io.sparkcae.jobs.testing.StageDirs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.jobs.testing.CliRun;
import io.sparkcae.jobs.testing.LocalSpark;
import io.sparkcae.prep.samples.SimParams;
import io.sparkcae.prep.samples.SimulationWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad volume inputs: one error line naming the file and problem, exit 2/3, no output left behind. */
@ExtendWith(LocalSpark.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class VolumeBadInputTest {
    @TempDir
    Path tmp;

    /** A v1.0 .npy of the given dtype and shape with the given payload bytes (may be short on purpose). */
    private Path npy(String name, String dtype, int[] shape, byte[] payload) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String header = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int pad = 64 - (10 + header.length() + 1) % 64;
        header = header + " ".repeat(pad % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII)).put(payload);
        Path p = tmp.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    private CliRun prep(Path input, String... sets) {
        List<String> a = new ArrayList<>(List.of("prep", "--data", input.toString(), "--run-dir", tmp.resolve("run").toString(),
                "--set", "patch.size=[2,2,2]", "--set", "data.val-fraction=0.3"));
        for (String s : sets) {
            a.add("--set");
            a.add(s);
        }
        return CliRun.of(a.toArray(String[]::new));
    }

    private void assertFailed(CliRun r, int code, String... mention) throws IOException {
        assertEquals(code, r.exitCode(), r.toString());
        String line = r.err().lines().findFirst().orElse("");
        for (String m : mention) {
            assertTrue(line.contains(m), "'" + m + "' missing from: " + line);
        }
        assertFalse(Files.exists(tmp.resolve("run/prep")), "no partial output");
        if (Files.exists(tmp.resolve("run"))) {
            try (var s = Files.list(tmp.resolve("run"))) {
                // logs/ holds the run's log (the trace behind the error line), by design
                assertEquals(0, s.filter(p -> !p.getFileName().toString().equals("logs")).count(), "no temp dirs left");
            }
        }
    }

    @Test
    void truncatedNpy() throws IOException {
        Path f = npy("short.npy", "<f4", new int[]{2, 4, 4, 4}, floats(new float[100]));
        assertFailed(prep(f), 3, "short.npy", "truncated");
    }

    @Test
    void unsupportedDtype() throws IOException {
        Path f = npy("complex.npy", "<c8", new int[]{4, 4, 4}, new byte[4 * 4 * 4 * 8]);
        assertFailed(prep(f), 3, "complex.npy", "<c8");
    }

    @Test
    void hdf5DatasetPathNotFound() throws IOException {
        SimulationWriter.generate(tmp.resolve("sim"), SimParams.defaults("s").withGrid(8, 2).withChannels(1));
        Path h5 = tmp.resolve("sim/s.h5");
        assertFailed(prep(h5, "data.hdf5-dataset=/nope"), 3, "s.h5", "/nope");
    }

    @Test
    void nanFailsByDefaultAndIsDroppedAndCountedOnRequest() throws IOException {
        float[] v = new float[3 * 4 * 4 * 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 7;
        }
        v[5] = Float.NaN; // step 0, first window
        Path f = npy("field.npy", "<f4", new int[]{3, 1, 4, 4, 4}, floats(v));
        assertFailed(prep(f), 3, "field.npy", "NaN");
        CliRun ok = prep(f, "data.nan-policy=drop-patch");
        assertEquals(0, ok.exitCode(), ok.toString());
        JsonNode m = new ObjectMapper().readTree(StageDirs.output(tmp.resolve("run"), "prep").resolve("patches/_manifest.json").toFile());
        assertEquals(1, m.get("dropped").get("non_finite").asLong());
        long total = m.get("counts").get("train").asLong() + m.get("counts").get("val").asLong()
                + m.get("counts").get("test").asLong();
        assertEquals(3 * 8 - 1, total);
    }

    @Test
    void patchLargerThanInput() throws IOException {
        Path f = npy("small.npy", "<f4", new int[]{4, 4, 4}, floats(new float[64]));
        assertFailed(prep(f, "patch.size=[8,8,8]"), 3, "small.npy", "larger than the input");
    }

    @Test
    void inconsistentShapesAcrossFilesOfASeries() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("series"));
        Files.move(npy("t000.npy", "<f4", new int[]{4, 4, 4}, floats(new float[64])), dir.resolve("t000.npy"));
        Files.move(npy("t001.npy", "<f4", new int[]{4, 4, 6}, floats(new float[96])), dir.resolve("t001.npy"));
        assertFailed(prep(dir), 3, "t001.npy");
    }
}
