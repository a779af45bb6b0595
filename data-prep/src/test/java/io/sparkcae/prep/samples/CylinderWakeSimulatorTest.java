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
 * The lattice Boltzmann cylinder wake sheds vortices at the physical rate: at Re = 100 the Strouhal number
 * St = f D / U measured from a probe's transverse velocity three diameters behind the cylinder lies in
 * 0.14-0.20 (experiments: ~0.165; the periodic side boundaries, 8 diameters apart, add a little blockage).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CylinderWakeSimulatorTest {
    @TempDir
    Path tmp;

    @Test
    void shedsAtTheStrouhalNumberOfACylinderAtRe100() {
        CylinderWakeParams p = new CylinderWakeParams("wake", 160, 64, 8, 100, 0.1, 0, 1, 1, 1);
        CylinderWakeSimulator sim = new CylinderWakeSimulator(p);
        sim.run(6000, s -> { });
        int px = (int) Math.round(sim.cylinderX() + 3 * p.diameter());
        int py = (int) Math.round(sim.cylinderY());
        int samples = 6000;
        double[] v = new double[samples];
        for (int t = 0; t < samples; t++) {
            sim.step();
            v[t] = sim.v(px, py);
        }
        double mean = 0;
        double max = 0;
        for (double x : v) {
            mean += x / samples;
        }
        for (double x : v) {
            max = Math.max(max, Math.abs(x - mean));
        }
        assertTrue(max > 0.1 * p.inletVelocity(), "no shedding: probe amplitude " + max);
        // frequency from the upward zero crossings: (crossings - 1) periods between the first and the last
        int first = -1;
        int last = -1;
        int crossings = 0;
        for (int t = 1; t < samples; t++) {
            if (v[t - 1] - mean < 0 && v[t] - mean >= 0) {
                crossings++;
                if (first < 0) {
                    first = t;
                }
                last = t;
            }
        }
        assertTrue(crossings >= 4, "crossings: " + crossings);
        double frequency = (crossings - 1) / (double) (last - first);
        double strouhal = frequency * p.diameter() / p.inletVelocity();
        System.out.printf(java.util.Locale.ROOT, "cylinder wake: St = %.4f (%d periods, amplitude %.4f)%n", strouhal,
                crossings - 1, max);
        assertTrue(strouhal >= 0.14 && strouhal <= 0.20, "St = " + strouhal);
    }

    @Test
    void writesTheSeriesInTheSimulatorsNpyLayout() throws Exception {
        CylinderWakeParams p = new CylinderWakeParams("w", 48, 20, 5, 50, 0.1, 10, 3, 5, 2);
        Path npy = SimulationWriter.generateCylinderWake(tmp, p);
        byte[] bytes = Files.readAllBytes(npy);
        String header = new String(bytes, 10, 118, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("'shape': (3, 3, 1, 10, 24)"), header);
        assertEquals(128 + 3 * 3 * 10 * 24 * 4, bytes.length);
    }
}
