package io.sparkcae.prep.samples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdvectionDiffusionSimulatorTest {

    private static final SimParams BASE = SimParams.defaults("test").withGrid(24, 10);

    private static Simulation run(SimParams p) {
        return new AdvectionDiffusionSimulator(p).run();
    }

    @Test
    void totalScalarIsConservedOnThePeriodicGrid() {
        for (SimParams p : new SimParams[]{BASE, BASE.withDiffusivity(0), BASE.withFlow(new double[]{1.5, 0.5, 1},
                new double[]{0.7, -0.4, 0.2})}) {
            Simulation sim = run(p);
            double initial = sim.scalarTotal(0);
            for (int t = 1; t < p.steps(); t++) {
                double relative = Math.abs(sim.scalarTotal(t) - initial) / initial;
                assertTrue(relative < 1e-5, p + ": step " + t + " total drifted by " + relative);
            }
        }
    }

    @Test
    void varianceDecaysEveryStepAndFasterWithMoreDiffusivity() {
        Simulation slow = run(BASE.withDiffusivity(0.005));
        Simulation fast = run(BASE.withDiffusivity(0.05));
        for (Simulation sim : new Simulation[]{slow, fast}) {
            for (int t = 1; t < BASE.steps(); t++) {
                assertTrue(sim.scalarVariance(t) < sim.scalarVariance(t - 1), "variance grew at step " + t);
            }
        }
        assertEquals(slow.scalarVariance(0), fast.scalarVariance(0), 1e-12, "same seed, same start");
        assertTrue(fast.scalarVariance(BASE.steps() - 1) < 0.8 * slow.scalarVariance(BASE.steps() - 1));
    }

    @Test
    void theStableStepKeepsTheSchemeMonotoneSoNoNewExtremaAppear() {
        Simulation sim = run(BASE.withFlow(new double[]{2, 1.5, 1}, new double[]{1, 0, -1}).withDiffusivity(0.1));
        float[] first = sim.frames().get(0);
        int cells = 24 * 24 * 24;
        float min0 = Float.MAX_VALUE;
        float max0 = -Float.MAX_VALUE;
        for (int i = 0; i < cells; i++) {
            min0 = Math.min(min0, first[i]);
            max0 = Math.max(max0, first[i]);
        }
        for (float[] frame : sim.frames()) {
            for (int i = 0; i < cells; i++) {
                assertTrue(frame[i] >= min0 - 1e-6f && frame[i] <= max0 + 1e-6f, "value " + frame[i] + " outside ["
                        + min0 + ", " + max0 + "]");
            }
        }
        // the sub-step honours the CFL + diffusion bound it was chosen from
        double dx = 2 * Math.PI / 24;
        double speeds = (2 + 1 + 1) + (1.5 + 2 + 0) + (1 + 1.5 + 1);
        assertTrue(sim.dt() * (speeds / dx + 6 * 0.1 / (dx * dx)) <= 0.9 + 1e-12);
        assertEquals(BASE.stepTime(), sim.dt() * sim.substeps(), 1e-12);
    }

    @Test
    void aUniformDriftCarriesTheScalarAtTheDriftSpeed() {
        double speed = 0.8;
        SimParams p = BASE.withFlow(new double[3], new double[]{speed, 0, 0}).withDiffusivity(0.01).withChannels(1);
        Simulation sim = run(p);
        double start = circularMeanX(sim.frames().get(0), p.n());
        double end = circularMeanX(sim.frames().get(p.steps() - 1), p.n());
        double moved = Math.IEEEremainder(end - start, 2 * Math.PI);
        double expected = speed * p.stepTime() * (p.steps() - 1);
        assertEquals(expected, moved, 0.02 * expected);
    }

    @Test
    void velocityChannelsHoldTheSteadyDivergenceFreeAbcFlow() {
        SimParams p = BASE.withFlow(new double[]{1, 0.8, 0.6}, new double[]{0.1, 0.2, 0.3});
        Simulation sim = run(p);
        int n = p.n();
        int cells = n * n * n;
        double h = 2 * Math.PI / n;
        float[] frame = sim.frames().get(3);
        int z = 5;
        int y = 7;
        int x = 11;
        int i = (z * n + y) * n + x;
        assertEquals(Math.sin(z * h) + 0.6 * Math.cos(y * h) + 0.1, frame[cells + i], 1e-6);
        assertEquals(0.8 * Math.sin(x * h) + Math.cos(z * h) + 0.2, frame[2 * cells + i], 1e-6);
        assertEquals(0.6 * Math.sin(y * h) + 0.8 * Math.cos(x * h) + 0.3, frame[3 * cells + i], 1e-6);
        // ux never varies along x (nor uy along y, uz along z): the discrete flow is exactly divergence-free
        for (int k = 0; k < n; k++) {
            assertEquals(frame[cells + i], frame[cells + (z * n + y) * n + k]);
            assertEquals(frame[2 * cells + i], frame[2 * cells + (z * n + k) * n + x]);
            assertEquals(frame[3 * cells + i], frame[3 * cells + (k * n + y) * n + x]);
        }
        float[] first = sim.frames().get(0);
        float[] last = sim.frames().get(p.steps() - 1);
        for (int c = 1; c < 4; c++) {
            assertEquals(first[c * cells + i], last[c * cells + i], "steady flow, channel " + c);
        }
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnother() {
        Simulation a = run(BASE);
        Simulation b = run(BASE);
        for (int t = 0; t < BASE.steps(); t++) {
            assertArrayEquals(a.frames().get(t), b.frames().get(t), "step " + t);
        }
        Simulation c = run(BASE.withSeed(99));
        assertFalse(java.util.Arrays.equals(a.frames().get(0), c.frames().get(0)));
    }

    /** Centre of the scalar along the periodic x axis, as an angle in [-π, π]. */
    private static double circularMeanX(float[] frame, int n) {
        double s = 0;
        double c = 0;
        for (int i = 0; i < n * n * n; i++) {
            double angle = (i % n) * 2 * Math.PI / n;
            s += frame[i] * Math.sin(angle);
            c += frame[i] * Math.cos(angle);
        }
        return Math.atan2(s, c);
    }
}
