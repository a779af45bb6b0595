package io.sparkcae.core.config;

import io.sparkcae.core.error.SparkCaeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RomConfTest {

    @Test
    void defaultsAskForNoSweep() {
        RomConf rom = LayeredConfigLoader.load(null, List.of()).rom();
        assertFalse(rom.sweep());
        assertEquals(5000, rom.podMaxSnapshots());
    }

    @Test
    void latentSizesAreSortedAndBadOnesNameTheKey() {
        assertArrayEquals(new int[]{1, 4, 16}, LayeredConfigLoader.load(null, List.of("rom.latent-sizes=[16,1,4]"))
                .rom().latentSizes());
        for (String bad : new String[]{"rom.latent-sizes=[0,2]", "rom.latent-sizes=[2,2]", "rom.latent-sizes=two"}) {
            SparkCaeException e = assertThrows(SparkCaeException.class, () -> LayeredConfigLoader.load(null, List.of(bad)));
            assertTrue(e.getMessage().contains("sparkcae.rom.latent-sizes"), e.getMessage());
        }
        SparkCaeException e = assertThrows(SparkCaeException.class,
                () -> LayeredConfigLoader.load(null, List.of("rom.pod-max-snapshots=1")));
        assertTrue(e.getMessage().contains("sparkcae.rom.pod-max-snapshots"), e.getMessage());
    }

    @Test
    void derivedConfigChangesOnlyTheGivenKeysAndIsValidatedAgain() {
        SparkCaeConf base = LayeredConfigLoader.load(null, List.of("rom.latent-sizes=[1,2]", "train.epochs=7"));
        SparkCaeConf derived = base.with(Map.of("model.latent-dim", 3, "rom.latent-sizes", List.of()));
        assertEquals(3, derived.model().latentDim());
        assertEquals(7, derived.train().epochs());
        assertFalse(derived.rom().sweep());
        assertThrows(SparkCaeException.class, () -> base.with(Map.of("model.latent-dim", 0)));
        assertThrows(IllegalArgumentException.class, () -> base.with(Map.of("model.no-such-key", 1)));
    }
}
