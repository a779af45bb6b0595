package io.sparkcae.jobs.cli;

import io.sparkcae.jobs.testing.StageDirs;
import io.sparkcae.jobs.testing.CliProcess;
import io.sparkcae.jobs.testing.CliRun;
import io.sparkcae.jobs.testing.FashionMnistSlice;
import io.sparkcae.jobs.testing.LocalSpark;
import io.sparkcae.jobs.testing.UntrustedZip;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import untrusted.MarkerGadget;
import untrusted.UnfilteredRead;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model or checkpoint zip altered to carry a serialized object of a class outside the allowlist (what
 * DL4J's ModelSerializer would deserialize from {@code preprocessor.bin}) is refused by the CLI with exit 2
 * naming the file, and the class is never initialized: its static initializer would leave a marker file.
 */
@ExtendWith(LocalSpark.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class UntrustedModelTest {
    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void trainedRun() throws Exception {
        data = FashionMnistSlice.write(tmp.resolve("fm"), 256, 64);
    }

    private static String[] args(String stage, Path run, String... extra) {
        List<String> a = new ArrayList<>(List.of(stage, "--data", data.toString(), "--run-dir", run.toString(),
                "--set", "train.epochs=1", "--set", "train.batch-size=32", "--set", "train.averaging-frequency=2",
                "--set", "seed=3"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private static Path train(String name) {
        Path run = tmp.resolve(name);
        CliRun prep = CliRun.of(args("prep", run));
        assertEquals(0, prep.exitCode(), prep.toString());
        CliRun train = CliRun.of(args("train", run));
        assertEquals(0, train.exitCode(), train.toString());
        return run;
    }

    /** Runs the CLI in a child JVM launched like the real one, which records whether the gadget was initialized. */
    private static String refusedInChild(Path marker, String name, String... cli) throws Exception {
        Path log = tmp.resolve(name + ".log");
        try (CliProcess p = CliProcess.start(log, List.of("-D" + MarkerGadget.MARKER_PROPERTY + "=" + marker), cli)) {
            int code = p.awaitExit(5, TimeUnit.MINUTES);
            String out = p.output();
            assertEquals(2, code, out);
            assertFalse(Files.exists(marker), "the gadget class was initialized:\n" + out);
            return out;
        }
    }

    @Test
    void encodeRefusesAModelZipCarryingASerializedObject() throws Exception {
        Path run = train("model");
        Path zip = StageDirs.output(run, "train").resolve("model.zip");
        UntrustedZip.addEntry(zip, "preprocessor.bin", UntrustedZip.gadget());
        Path marker = tmp.resolve("model.marker");
        String out = refusedInChild(marker, "encode", args("encode", run, "--model", run.resolve("train").toString()));
        assertTrue(out.contains("sparkcae: error: ") && out.contains("model.zip") && out.contains("'preprocessor.bin'"),
                out);
    }

    @Test
    void trainResumeRefusesACheckpointCarryingASerializedObject() throws Exception {
        Path run = train("ckpt");
        List<Path> zips;
        try (Stream<Path> s = Files.walk(run.resolve("checkpoints"))) {
            zips = s.filter(p -> p.getFileName().toString().equals("model.zip")).toList();
        }
        assertFalse(zips.isEmpty(), "train wrote a checkpoint");
        for (Path zip : zips) {
            UntrustedZip.addEntry(zip, "preprocessor.bin", UntrustedZip.gadget());
        }
        deleteTree(run.resolve("train")); // as if the driver died before committing; --resume continues
        Path marker = tmp.resolve("ckpt.marker");
        String out = refusedInChild(marker, "resume", args("train", run, "--resume"));
        assertTrue(out.contains("sparkcae: error: ") && out.contains("model.zip") && out.contains("'preprocessor.bin'"),
                out);
    }

    @Test
    void withoutAFilterTheSamePayloadDoesInitializeTheGadget() throws Exception {
        // the control: the marker mechanism works, so its absence above means something
        Path payload = Files.write(tmp.resolve("gadget.ser"), UntrustedZip.gadget());
        Path marker = tmp.resolve("control.marker");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + MarkerGadget.MARKER_PROPERTY + "=" + marker, "-cp", System.getProperty("java.class.path"),
                UnfilteredRead.class.getName(), payload.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        assertTrue(Files.exists(marker), out);
    }

    private static void deleteTree(Path p) throws Exception {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }
}
