package io.sparkcae.jobs.prep;

import io.sparkcae.jobs.testing.StageDirs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.jobs.testing.CliRun;
import io.sparkcae.jobs.testing.LocalSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Percentile clipping: bounds from the train split land in the manifest and the model uses them. */
@ExtendWith(LocalSpark.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClipPercentilesTest {
    @TempDir
    Path tmp;

    @Test
    void boundsFollowThePercentilesAndTravelIntoTheModel() throws Exception {
        // 8 steps of a 1x8x8x8 field: standard normal values plus rare huge outliers
        int n = 8 * 512;
        Random rnd = new Random(1);
        ByteBuffer payload = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            payload.putFloat(i % 997 == 0 ? 1000f : (float) rnd.nextGaussian());
        }
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (8, 1, 8, 8, 8), }";
        header = header + " ".repeat(64 - (10 + header.length() + 1) % 64) + "\n";
        ByteBuffer file = ByteBuffer.allocate(10 + header.length() + n * 4).order(ByteOrder.LITTLE_ENDIAN);
        file.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                .putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII)).put(payload.array());
        Path npy = tmp.resolve("field.npy");
        Files.write(npy, file.array());

        String[] args = {"--data", npy.toString(), "--run-dir", tmp.resolve("run").toString(),
                "--set", "data.clip-percentiles=[1, 99]", "--set", "data.normalization=minmax",
                "--set", "data.val-fraction=0.25", "--set", "model.encoder-channels=[4]", "--set", "model.latent-dim=4",
                "--set", "train.epochs=1", "--set", "train.batch-size=4"};
        assertEquals(0, CliRun.of(concat("prep", args)).exitCode());
        JsonNode stat = new ObjectMapper().readTree(StageDirs.output(tmp.resolve("run"), "prep").resolve("patches/_manifest.json").toFile())
                .get("trainStats").get(0);
        double low = stat.get("clipLow").asDouble();
        double high = stat.get("clipHigh").asDouble();
        assertEquals(-2.33, low, 0.35, "1st percentile of N(0,1)");
        assertEquals(2.33, high, 0.35, "99th percentile: the 1000s outliers are beyond it");
        assertEquals(1000.0, stat.get("max").asDouble(), 1e-3);

        CliRun train = CliRun.of(concat("train", args));
        assertEquals(0, train.exitCode(), train.toString());
        JsonNode meta = new ObjectMapper().readTree(StageDirs.output(tmp.resolve("run"), "train").resolve("model.json").toFile());
        assertEquals(low, meta.get("clipLow").get(0).asDouble(), 1e-5);
        assertEquals(high - low, meta.get("normalizationScale").get(0).asDouble(), 1e-4, "minmax over the clip range");
        assertTrue(Double.isFinite(meta.get("bestValMse").asDouble()));
    }

    private static String[] concat(String first, String[] rest) {
        String[] a = new String[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }
}
