package io.sparkcae.core.config;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gradient sharing's driver endpoint binds one address: a wildcard, which would bind every interface, is refused. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SharingBindAddressTest {
    @Test
    void aWildcardControllerAddressIsAConfigurationError() {
        for (String wildcard : List.of("0.0.0.0", "::", "[::]", "*")) {
            SparkCaeException e = assertThrows(SparkCaeException.class, () -> LayeredConfigLoader.load(null,
                    List.of("train.sharing-controller=\"" + wildcard + "\"")), wildcard);
            assertEquals(ExitCode.USAGE, e.exitCode(), e.getMessage());
            assertTrue(e.getMessage().contains("sparkcae.train.sharing-controller"), e.getMessage());
        }
    }

    @Test
    void aConcreteAddressOrNoneIsAccepted() {
        assertEquals("10.0.0.5", LayeredConfigLoader.load(null, List.of("train.sharing-controller=\"10.0.0.5\""))
                .train().sharingController());
        assertEquals("", LayeredConfigLoader.load(null, List.of()).train().sharingController());
    }
}
