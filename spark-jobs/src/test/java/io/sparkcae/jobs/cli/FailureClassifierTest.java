package io.sparkcae.jobs.cli;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a failure means to the user, found through Spark's wrapping; and what the console leaves out. */
class FailureClassifierTest {
    @Test
    void ourErrorIsFoundInsideSparksWrapping() {
        SparkCaeException ours = SparkCaeException.badData("x.idx: truncated");
        Throwable wrapped = new IllegalStateException(new RuntimeException("Job aborted", new RuntimeException(ours)));
        assertSame(ours, FailureClassifier.classify(wrapped));
    }

    @Test
    void outOfMemoryIsAnEnvironmentErrorNamingTheRemedy() {
        SparkCaeException e = FailureClassifier.classify(new RuntimeException("task failed",
                new OutOfMemoryError("Java heap space")));
        assertEquals(ExitCode.INFRASTRUCTURE, e.exitCode());
        assertTrue(e.getMessage().contains("SPARKCAE_MEMORY"), e.getMessage());
    }

    @Test
    void anExecutorThatDiedOfOutOfMemoryIsAnEnvironmentError() {
        SparkCaeException e = FailureClassifier.classify(new RuntimeException("Job aborted due to stage failure: Task 3 "
                + "in stage 1.0 failed 4 times, most recent failure: Lost task 3.3 in stage 1.0 (TID 9) (10.0.0.7 executor 2):"
                + " ExecutorLostFailure (executor 2 exited caused by one of the running tasks) Reason: Command exited "
                + "with code 52"));
        assertEquals(ExitCode.INFRASTRUCTURE, e.exitCode());
        assertTrue(e.getMessage().contains("spark.executor.memory"), e.getMessage());
        assertNull(FailureClassifier.classify(new RuntimeException("ExecutorLostFailure (executor 2 exited caused by one "
                + "of the running tasks) Reason: Command exited with code 137")));
    }

    @Test
    void anUnknownSchemeIsAUsageError() {
        SparkCaeException e = FailureClassifier.classify(
                new UnsupportedFileSystemException("No FileSystem for scheme \"bogus\""));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("'bogus:'"), e.getMessage());
    }

    @Test
    void tooLittleMemoryForSparkIsTheUsersSetting() {
        SparkCaeException e = FailureClassifier.classify(new IllegalArgumentException(
                "[INVALID_DRIVER_MEMORY] System memory 429916160 must be at least 471859200."));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("SPARKCAE_MEMORY"), e.getMessage());
    }

    @Test
    void anythingElseIsInternal() {
        assertNull(FailureClassifier.classify(new IllegalArgumentException("bug")));
    }

    @Test
    void theConsoleDropsTracesAndSparksTaskFailureLines() {
        assertTrue(ConsoleNoiseFilter.noise("org.apache.spark.scheduler.TaskSetManager", Level.WARN, false, "Lost task 0.0"));
        assertTrue(ConsoleNoiseFilter.noise("org.apache.spark.executor.Executor", Level.ERROR, false, "Exception in task"));
        assertTrue(ConsoleNoiseFilter.noise("io.sparkcae.jobs.prep.PrepJob", Level.WARN, true, "with a throwable"));
        assertTrue(ConsoleNoiseFilter.noise("x", Level.ERROR, false, "failed\n\tat a.b.C.d(C.java:1)"));
        assertTrue(ConsoleNoiseFilter.noise(RunLog.DETAIL_LOGGER, Level.ERROR, false, "detail"));
        assertFalse(ConsoleNoiseFilter.noise("io.sparkcae.jobs.prep.PrepJob", Level.INFO, false, "prep: 16 patches"));
        assertFalse(ConsoleNoiseFilter.noise("org.apache.spark.scheduler.TaskSetManager", Level.INFO, false, "Starting task"));
    }
}
