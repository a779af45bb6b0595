package io.sparkcae.jobs.common;

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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A prep killed (SIGKILL) while writing leaves no stage directory and no _SUCCESS, only a hidden temp
 * directory, and the next run of the same command redoes the stage and commits it.
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
        assertFalse(Files.exists(run.resolve("prep")), "nothing committed by the killed run");
        try (var s = Files.walk(run)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().equals("_SUCCESS")
                    && p.getParent().getFileName().toString().equals("prep")));
        }

        CliRun retry = CliRun.of("prep", "--data", data.toString(), "--run-dir", run.toString(),
                "--set", "prep.records-per-task=2000");
        assertEquals(0, retry.exitCode(), retry.toString());
        assertTrue(Files.exists(run.resolve("prep/_SUCCESS")));
        assertTrue(Files.exists(run.resolve("prep/patches/_manifest.json")));
    }

    /** The child's hidden temp directory has Parquet output in it. */
    private static boolean writingStarted(Path run) {
        if (!Files.isDirectory(run)) {
            return false;
        }
        try (var s = Files.walk(run)) {
            return s.anyMatch(p -> p.toString().contains(".prep.tmp-") && p.getFileName().toString().startsWith("part-"));
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return false; // the child renamed or deleted something mid-walk: look again
        }
    }
}
