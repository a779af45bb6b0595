package io.sparkcae.prep.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lattice Boltzmann Taylor–Green vortex against its analytic figures, on a 16³ grid: at first only
 * viscosity acts on the single wavenumber |k|² = 3, so the kinetic energy decays at dE/dt = −6 ν E, and the
 * pressure keeps the shape (cos 2x + cos 2y)(cos 2z + 2) that balances the initial vortex, scaled by the
 * square of the decaying velocity.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TaylorGreenSimulatorTest {
    @TempDir
    Path tmp;

    @Test
    void decaysAtTheViscousRateAndKeepsTheAnalyticPressure() {
        TaylorGreenParams p = new TaylorGreenParams("tgv", 32, 100, 0.05, 11, 1);
        TaylorGreenSimulator sim = new TaylorGreenSimulator(p);
        assertEquals(0.125, sim.energyHistory()[0], 1e-3, "E0 = 1/8 U0^2");
        TaylorGreenChecks c = TaylorGreenChecks.measure(sim, sim.run());
        System.out.println("taylor-green 32^3 Re 100: " + c.describe());
        assertEquals(0.06, c.analyticDecayRate(), 1e-12);
        assertTrue(c.decayRateError() < 0.04, c.describe());
        assertTrue(c.pressureCorrelation() > 0.99, c.describe());
        assertTrue(c.pressureError() < 0.1, c.describe());
    }

    @Test
    void cascadesToSmallScalesAndPeaksInDissipation() {
        // later the vortex stretches and hands energy to small scales: it decays faster than viscosity alone
        // would make it, and the dissipation rate rises to a peak and falls
        TaylorGreenParams p = new TaylorGreenParams("tgv", 16, 100, 0.05, 41, 8);
        TaylorGreenSimulator sim = new TaylorGreenSimulator(p);
        TaylorGreenChecks c = TaylorGreenChecks.measure(sim, sim.run());
        System.out.println("taylor-green 16^3 Re 100 to t = 8: " + c.describe());
        assertTrue(c.peakInside(), c.describe());
        assertTrue(c.peakDissipationTime() > 2 && c.peakDissipationTime() < 7, c.describe());
        assertTrue(c.endEnergyRatio() < 0.8 * c.laminarEnergyRatio(), c.describe());
    }

    @Test
    void writesTheSeriesInTheSimulatorsNpyLayout() throws Exception {
        TaylorGreenParams p = new TaylorGreenParams("t", 8, 50, 0.05, 3, 0.1);
        Path npy = SimulationWriter.generateTaylorGreen(tmp, p).npy();
        byte[] bytes = Files.readAllBytes(npy);
        String header = new String(bytes, 10, 118, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("'shape': (3, 4, 8, 8, 8)"), header);
        assertEquals(128 + 3 * 4 * 8 * 8 * 8 * 4, bytes.length);
    }
}
