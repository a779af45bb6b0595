package io.sparkcae.jobs.cli;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.jobs.bench.scaling.ScalingBench;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchScalingOptionsTest {
    private static BenchCommand parse(String... args) {
        BenchCommand cmd = new BenchCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }

    @Test
    void helpListsTheScalingCase() {
        String usage = new CommandLine(new BenchCommand()).getUsageMessage();
        assertTrue(usage.contains("scaling"), usage);
        assertTrue(usage.contains("--rates"), usage);
    }

    @Test
    void scalingHasItsOwnDefaults() {
        ScalingBench.Options o = parse("scaling").scalingOptions();
        assertEquals(List.of(1, 2, 3), o.workers());
        assertEquals(2, o.rates().size());
        assertEquals(BenchCommand.SCALING_STEPS, o.steps());
        assertEquals(Path.of("bench-scaling.json"), o.out());
    }

    @Test
    void scalingTakesWorkersRatesStepsAndOut() {
        ScalingBench.Options o = parse("scaling", "--workers", "1,2", "--rates", "unlimited,200mbit", "--steps", "8",
                "--out", "s.json").scalingOptions();
        assertEquals(List.of(1, 2), o.workers());
        assertEquals(200e6, o.rates().get(1).bitsPerSecond());
        assertEquals(8, o.steps());
        assertEquals(Path.of("s.json"), o.out());
    }

    @Test
    void aBadRateIsRefusedBeforeAnythingRuns() {
        SparkCaeException e = assertThrows(SparkCaeException.class,
                () -> parse("scaling", "--rates", "fast").scalingOptions());
        assertEquals(ExitCode.USAGE, e.exitCode());
    }
}
