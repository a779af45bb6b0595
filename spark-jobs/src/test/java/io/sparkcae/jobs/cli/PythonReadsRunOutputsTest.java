package io.sparkcae.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.tensor.FloatCodec;
import io.sparkcae.jobs.testing.LocalSpark;
import io.sparkcae.jobs.testing.SmallRun;
import io.sparkcae.jobs.testing.StageDirs;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Python recipe of docs/reading-outputs.md ({@code docs/examples/read_outputs.py}) run with Debian's
 * python3 and numpy on a real run's Parquet output: what it decodes must match what sparkcae wrote.
 */
@ExtendWith(LocalSpark.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PythonReadsRunOutputsTest {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final String INSTALL_HINT = "the Python reading recipe needs Debian's python3 with numpy and snappy: "
            + "`apt-get install -y python3 python3-numpy python3-snappy` (.ci/run does)";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readOutputsScriptDecodesPatchesLatentsAndScoresAsWritten() throws Exception {
        requirePython();
        SmallRun run = SmallRun.get();
        JsonNode py = JSON.readTree(python(script(), run.runDir().toString()));

        JsonNode manifest = JSON.readTree(StageDirs.output(run.runDir(), "prep").resolve("patches/_manifest.json").toFile());
        JsonNode patches = py.get("patches");
        assertEquals(manifest.get("patchShape"), patches.get("shape"), py.toString());
        assertEquals(manifest.get("counts"), patches.get("splits"), py.toString());
        assertEquals(800, patches.get("count").asInt());
        assertEquals(manifest.get("trainStats").get(0).get("mean").asDouble(), patches.get("train_mean").asDouble(), 1e-6);
        assertEquals(0.0, patches.get("min").asDouble());
        assertEquals(1.0, patches.get("max").asDouble());
        // One patch, found by id: Python's float32 decoding equals the JVM's.
        Row first = LocalSpark.get().read().parquet(StageDirs.output(run.runDir(), "prep").resolve("patches").toString())
                .filter(col("id").equalTo(patches.get("first_id").asText())).first();
        double sum = 0;
        for (float v : FloatCodec.decode((byte[]) first.get(first.fieldIndex("data")))) {
            sum += v;
        }
        assertEquals(sum, patches.get("first_sum").asDouble(), 1e-6);
        assertTrue(sum > 0, "a real image, not an empty patch");

        JsonNode encode = JSON.readTree(StageDirs.output(run.runDir(), "encode").resolve("metrics.json").toFile());
        assertEquals(800, py.get("latents").get("count").asInt());
        assertEquals(encode.get("latent_size").asInt(), py.get("latents").get("dim").asInt());
        assertEquals(encode.get("test_mse").asDouble(), py.get("latents").get("test_recon_mse").asDouble(), 1e-12);

        JsonNode score = JSON.readTree(StageDirs.output(run.runDir(), "score").resolve("metrics.json").toFile());
        JsonNode scores = py.get("scores");
        assertEquals(800, scores.get("count").asInt());
        assertEquals(score.get("test_mse").asDouble(), scores.get("test_mse").asDouble(), 1e-12);
        assertEquals(score.get("test_flagged").asLong(), scores.get("test_flagged").asLong());
        // The residual bytes decode to reconstruction - input: their mean square is the stored MSE.
        assertTrue(scores.get("max_mse_vs_residual").asDouble() < 1e-9, py.toString());
    }

    @Test
    void theBuiltInReaderSaysWhatItCannotRead() throws Exception {
        requirePython();
        Path notParquet = Files.createTempFile("sparkcae-not-parquet", ".parquet");
        try {
            Files.writeString(notParquet, "not a parquet file");
            Path lib = script().getParent();
            String out = pythonExpectingFailure("-c", "import sys; sys.path.insert(0, sys.argv[1]); import parquet_lite; "
                    + "parquet_lite.read_file(sys.argv[2])", lib.toString(), notParquet.toString());
            assertTrue(out.contains("not a Parquet file"), out);
        } finally {
            Files.deleteIfExists(notParquet);
        }
    }

    private static Path script() {
        Path root = Path.of(System.getProperty("sparkcae.repo.root", ".."));
        Path s = root.resolve("docs/examples/read_outputs.py");
        assertTrue(Files.isRegularFile(s), s + " exists");
        return s;
    }

    /** Fails the test, naming the packages, when python3 or one of its modules is missing. */
    private static void requirePython() throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            throw new AssertionError(PYTHON + " is missing: " + INSTALL_HINT);
        }
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import numpy, snappy").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError(out.strip() + ": " + INSTALL_HINT);
        }
    }

    private static String python(Path script, String... args) throws Exception {
        Result r = run(script.toString(), args);
        assertEquals(0, r.code, r.err);
        return r.out;
    }

    private static String pythonExpectingFailure(String... args) throws Exception {
        Result r = run(args[0], java.util.Arrays.copyOfRange(args, 1, args.length));
        assertTrue(r.code != 0, "expected a failure: " + r.out);
        return r.err;
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(String first, String... rest) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(PYTHON.toString(), first));
        cmd.addAll(List.of(rest));
        Path err = Files.createTempFile("sparkcae-python", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("python did not finish: " + cmd);
            }
            return new Result(p.exitValue(), out, Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
