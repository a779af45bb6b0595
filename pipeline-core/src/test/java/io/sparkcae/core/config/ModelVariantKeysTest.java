package io.sparkcae.core.config;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class ModelVariantKeysTest {

    @Test
    void defaultsAreThePlainAutoencoder() {
        SparkCaeConf c = LayeredConfigLoader.load(null, List.of());
        ModelSpec m = c.model();
        assertFalse(m.skipConnections());
        assertEquals(0.0, m.latentL1());
        assertFalse(m.variational());
        assertEquals(0, c.train().klWarmupEpochs());
        assertEquals(1.0, c.train().klWarmupFactor(1));
    }

    @Test
    void variantKeysAreRead() {
        SparkCaeConf c = LayeredConfigLoader.load(null, List.of("model.skip-connections=true", "model.latent-l1=0.5",
                "train.kl-warmup-epochs=4"));
        assertTrue(c.model().skipConnections());
        assertEquals(0.5, c.model().latentL1());
        assertEquals(0.25, c.train().klWarmupFactor(1));
        assertEquals(1.0, c.train().klWarmupFactor(9));
        SparkCaeConf v = LayeredConfigLoader.load(null, List.of("model.variational=true", "model.kl-beta=0.1"));
        assertTrue(v.model().variational());
        assertEquals(0.1, v.model().klBeta());
    }

    private static SparkCaeException refused(String... sets) {
        SparkCaeException e = assertThrows(SparkCaeException.class, () -> LayeredConfigLoader.load(null, List.of(sets)));
        assertEquals(ExitCode.USAGE, e.exitCode());
        return e;
    }

    @Test
    void invalidCombinationsAndValuesNameTheKey() {
        assertTrue(refused("model.variational=true", "model.bottleneck=spatial").getMessage()
                .contains("sparkcae.model.variational"));
        String skips = refused("model.variational=true", "model.skip-connections=true").getMessage();
        assertTrue(skips.contains("sparkcae.model.variational") && skips.contains("skip-connections"), skips);
        assertTrue(refused("model.latent-l1=-1").getMessage().contains("sparkcae.model.latent-l1"));
        assertTrue(refused("model.kl-beta=-0.5").getMessage().contains("sparkcae.model.kl-beta"));
        assertTrue(refused("train.kl-warmup-epochs=-1").getMessage().contains("sparkcae.train.kl-warmup-epochs"));
        assertTrue(refused("model.skip-connections=maybe").getMessage().contains("sparkcae.model.skip-connections"));
    }
}
