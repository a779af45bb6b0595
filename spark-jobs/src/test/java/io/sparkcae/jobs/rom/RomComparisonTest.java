package io.sparkcae.jobs.rom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RomComparisonTest {
    private static final List<Double> POD = List.of(1.0, 0.5, 0.3, 0.1, 0.05); // 0..4 modes

    @Test
    void recommendsTheSmallestCaeThatBeatsPodAtItsSizeAndSaysWhatPodNeedsForIt() {
        Map<Integer, Double> cae = new TreeMap<>(Map.of(1, 0.6, 2, 0.08, 4, 0.04));
        RomComparison c = RomComparison.ofCae(POD, cae, 3);
        assertEquals(3, c.podModesFor(0.1));
        assertEquals(-1, c.podModesFor(0.01));
        String r = c.recommendation();
        assertTrue(r.startsWith("a 2-d CAE latent"), r);
        assertTrue(r.contains("matches POD with 4 modes"), r);
        String table = c.table();
        assertEquals(2 + 4, table.split("\n").length, table);
        assertTrue(table.contains("more than 4 modes") || table.contains("4 modes"), table);
    }

    @Test
    void recommendsPodWhenTheCaeNeverBeatsIt() {
        RomComparison c = RomComparison.ofCae(POD, new TreeMap<>(Map.of(2, 0.4)), 3);
        assertTrue(c.recommendation().startsWith("POD is as good"), c.recommendation());
        assertTrue(c.recommendation().contains("3 modes"), c.recommendation());
    }
}
