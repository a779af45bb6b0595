package io.sparkcae.jobs.reassemble;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReassemblyMemoryTest {
    private static final long MB = 1 << 20;

    @Test
    void aSampleCostsItsBandNotItsSize() {
        // 64-row band of a 5120-wide RGB photo: 64 x 5120 x 4 doubles, one float row, two copies of a 3x64x64 patch
        ReassemblyMemory m = ReassemblyMemory.plan(List.of(new int[]{3, 2880, 5120}, new int[]{1, 100, 100}),
                new int[]{64, 64}, 3 * 64 * 64 * 4, 1000 * MB, 0.6, 8);
        assertEquals(64L * 5120 * 4 * 8 + 3L * 5120 * 4 + 2L * 3 * 64 * 64 * 4, m.perSampleBytes());
        assertEquals((long) (700 * MB * 0.4), m.budgetBytes());
        assertEquals(8, m.concurrent());
    }

    @Test
    void fewerRunAtOnceWhenTheirBandsDoNotAllFit() {
        // whole-sample windows: the band is the sample, 1000 x 1000 x 2 doubles = 16 MB
        ReassemblyMemory m = ReassemblyMemory.plan(List.of(new int[]{1, 1000, 1000}), new int[]{1000, 1000},
                4_000_000, 480 * MB, 0.6, 16);
        assertEquals((long) (180 * MB * 0.4) / m.perSampleBytes(), m.concurrent());
        assertTrue(m.concurrent() >= 1 && m.concurrent() < 16);
        ReassemblyMemory tight = ReassemblyMemory.plan(List.of(new int[]{1, 2400, 2400}), new int[]{2400, 2400},
                2400 * 2400 * 4, 520 * MB, 0.6, 2);
        assertEquals(1, tight.concurrent(), "more than Spark's user share, less than the heap: one at a time");
    }

    @Test
    void aSampleBeyondTheHeapStopsUpFrontNamingTheMemoryToGive() {
        SparkCaeException e = assertThrows(SparkCaeException.class, () -> ReassemblyMemory.plan(
                List.of(new int[]{1, 3200, 3200}), new int[]{3200, 3200}, 3200 * 3200 * 4, 520 * MB, 0.6, 2));
        assertEquals(ExitCode.INFRASTRUCTURE, e.exitCode());
        assertTrue(e.getMessage().contains("SPARKCAE_MEMORY=") && e.getMessage().contains("spark.executor.memory"),
                e.getMessage());
        assertTrue(e.getMessage().contains("3200 rows deep"), e.getMessage());
    }
}
