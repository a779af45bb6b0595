package io.sparkcae.jobs.bench.scaling;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScalingOptionsTest {
    @Test
    void ratesParseAsTcSpellsThem() {
        assertEquals(50e6, LinkRate.parse("50mbit").bitsPerSecond());
        assertEquals(1.5e9, LinkRate.parse("1.5gbit").bitsPerSecond());
        assertEquals(800e3, LinkRate.parse("800KBIT").bitsPerSecond());
        assertFalse(LinkRate.parse("unlimited").limited());
        assertEquals("20000000bit", LinkRate.parse("20mbit").tcRate());
        assertEquals(25_000, LinkRate.parse("20mbit").burstBytes()); // 10 ms at 2.5 MB/s
        assertEquals(16_000, LinkRate.parse("1mbit").burstBytes()); // never below one bucket of frames
    }

    @Test
    void aBadRateIsAUsageError() {
        SparkCaeException e = assertThrows(SparkCaeException.class,
                () -> ScalingBench.Options.rates(List.of("unlimited", "50mb")));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("50mb"), e.getMessage());
        assertThrows(SparkCaeException.class, () -> ScalingBench.Options.rates(List.of("-5mbit")));
    }

    @Test
    void workerCountsAndStepsAreChecked() {
        assertThrows(SparkCaeException.class, () -> options(List.of(0, 2), 20));
        assertThrows(SparkCaeException.class, () -> options(List.of(1, 2), 2));
        assertEquals(List.of(1, 2), options(List.of(1, 2), 20).workers());
    }

    private static ScalingBench.Options options(List<Integer> workers, int steps) {
        return new ScalingBench.Options(workers, List.of(LinkRate.UNLIMITED), steps, 32, List.of(5), List.of(1e-3),
                List.of(16, 8), Path.of("x.json"), null);
    }

    @Test
    void withoutANamespaceOnlyTheUnlimitedRateIsMeasuredAndOneLineSaysWhy() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<LinkRate> rates = ScalingBench.measurable(LinkRate.parseAll(List.of("unlimited", "50mbit")),
                "ip netns add failed (rc 1): Operation not permitted", new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals(List.of(LinkRate.UNLIMITED), rates);
        assertEquals("scaling: shaped rates skipped: ip netns add failed (rc 1): Operation not permitted\n",
                buf.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withANamespaceEveryRateIsMeasured() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<LinkRate> asked = LinkRate.parseAll(List.of("unlimited", "50mbit", "20mbit"));
        assertEquals(asked, ScalingBench.measurable(asked, null, new PrintStream(buf, true, StandardCharsets.UTF_8)));
        assertEquals("", buf.toString(StandardCharsets.UTF_8));
    }

    @Test
    void loIsNeverShapedOutsideTheBenchsOwnNamespace() {
        // a name the bench did not make
        assertThrows(IllegalStateException.class, () -> LoopbackNamespace.shapeCurrent("default", LinkRate.parse("1mbit")));
        // the bench's kind of name, but this JVM does not run inside it
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LoopbackNamespace.shapeCurrent(
                LoopbackNamespace.nameFor(ProcessHandle.current().pid()) + "-absent", LinkRate.parse("1mbit")));
        assertTrue(e.getMessage().contains("refusing"), e.getMessage());
    }
}
