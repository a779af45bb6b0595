package io.sparkcae.jobs.common;

import io.sparkcae.jobs.testing.StageDirs;
import io.sparkcae.jobs.testing.CliProcess;
import io.sparkcae.jobs.testing.CliRun;
import io.sparkcae.jobs.testing.FashionMnistSlice;
import io.sparkcae.jobs.testing.LocalSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A prep killed (SIGKILL) while writing commits nothing (no marker, no _SUCCESS), and the next run of the
 * same command redoes the stage, commits it and removes the killed run's attempt directory.
 */
@ExtendWith(LocalSpark.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class KilledRunTest {
    @TempDir
    Path tmp;

    @Test
    void aKilledRunLeavesNoCommittedOutputAndTheRetryRedoesIt() throws Exception {
        Path data = FashionMnistSlice.write(tmp.resolve("fm"), 20000, 100);
        Path run = tmp.resolve("run");
        try (CliProcess child = CliProcess.start(tmp.resolve("child.log"), "prep", "--data", data.toString(),
                "--run-dir", run.toString(), "--set", "prep.records-per-task=2000")) {
            assertTrue(child.awaitCondition(() -> writingStarted(run), 120, TimeUnit.SECONDS),
                    "the child got as far as writing: " + child.output());
            child.kill();
        }
        assertNull(StageDirs.committed(run, "prep"), "nothing committed by the killed run");
        assertFalse(Files.exists(run.resolve("prep/_SUCCESS")));
        List<String> killedAttempts = entries(run.resolve("prep"));
        assertEquals(1, killedAttempts.size(), "the killed run's attempt: " + killedAttempts);

        CliRun retry = CliRun.of("prep", "--data", data.toString(), "--run-dir", run.toString(),
                "--set", "prep.records-per-task=2000");
        assertEquals(0, retry.exitCode(), retry.toString());
        assertTrue(Files.exists(run.resolve("prep/_SUCCESS")));
        assertTrue(Files.exists(StageDirs.output(run, "prep").resolve("patches/_manifest.json")));
        List<String> left = entries(run.resolve("prep"));
        assertEquals(List.of("_SUCCESS", "_commits", StageDirs.committed(run, "prep").attempt()), left,
                "only the commit and its output remain");
    }

    private static List<String> entries(Path dir) throws java.io.IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    /** The child's attempt directory has Parquet output in it. */
    private static boolean writingStarted(Path run) {
        if (!Files.isDirectory(run)) {
            return false;
        }
        try (var s = Files.walk(run)) {
            return s.anyMatch(p -> p.toString().contains("/prep/v1.") && p.getFileName().toString().startsWith("part-"));
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return false; // the child renamed or deleted something mid-walk: look again
        }
    }
}
