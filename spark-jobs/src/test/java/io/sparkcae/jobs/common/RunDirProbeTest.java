package io.sparkcae.jobs.common;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run dir is checked before Spark starts, and the check leaves nothing behind. */
class RunDirProbeTest {
    @TempDir
    Path tmp;

    @Test
    void aNewRunDirIsCheckedAndNotLeftBehind() {
        RunDirProbe.requireWritable(tmp.resolve("a/b/run").toString(), new Configuration());
        assertFalse(Files.exists(tmp.resolve("a")), "what the check created is removed");
    }

    @Test
    void anExistingRunDirKeepsItsContent() throws Exception {
        Files.writeString(Files.createDirectories(tmp.resolve("run")).resolve("keep"), "x");
        RunDirProbe.requireWritable(tmp.resolve("run").toString(), new Configuration());
        try (var s = Files.list(tmp.resolve("run"))) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void aParentThatIsAFileIsNamed() throws Exception {
        Files.writeString(tmp.resolve("afile"), "x");
        SparkCaeException e = assertThrows(SparkCaeException.class,
                () -> RunDirProbe.requireWritable(tmp.resolve("afile/run").toString(), new Configuration()));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("afile is a file"), e.getMessage());
    }

    @Test
    void anUnknownSchemeIsAUsageError() {
        SparkCaeException e = assertThrows(SparkCaeException.class,
                () -> RunDirProbe.requireWritable("bogus://host/run", new Configuration()));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("bogus"), e.getMessage());
    }
}
