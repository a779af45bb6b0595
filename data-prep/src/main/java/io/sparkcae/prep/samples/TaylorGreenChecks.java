package io.sparkcae.prep.samples;

import java.util.List;
import java.util.Locale;

/**
 * Physical figures of a Taylor–Green run, measured against what is known analytically, all in convective
 * units (time L / U0, energy U0²):
 *
 * @param decayRate           −d ln E / dt over the first half convective time, by least squares on every step
 * @param analyticDecayRate   6 ν = 6 / Re: viscosity alone on the initial wavenumber |k|² = 3
 * @param pressureTime        time of the snapshot whose pressure is compared (the one nearest t = 0.5)
 * @param pressureCorrelation correlation of that pressure with (cos 2x + cos 2y)(cos 2z + 2)
 * @param pressureError       relative L2 error against (1/16)(cos 2x + cos 2y)(cos 2z + 2) e^{−6νt} (both
 *                            with their means removed: p0 is arbitrary)
 * @param peakDissipationTime time of the largest dissipation rate −dE/dt of the run
 * @param peakInside          whether that peak lies inside the run (not at its first or last time)
 * @param endEnergyRatio      E / E0 at the last snapshot
 * @param laminarEnergyRatio  e^{−6νt} at the last snapshot: what viscosity alone would leave (a lower
 *                            measured ratio means the nonlinear cascade to small scales has set in)
 */
public record TaylorGreenChecks(double decayRate, double analyticDecayRate, double pressureTime,
                                double pressureCorrelation, double pressureError, double peakDissipationTime,
                                boolean peakInside, double endEnergyRatio, double laminarEnergyRatio) {

    /** Measures a finished run from its saved frames and the energy of every lattice step. */
    public static TaylorGreenChecks measure(TaylorGreenSimulator sim, List<float[]> frames) {
        TaylorGreenParams p = sim.params();
        double[] e = sim.energyHistory();
        double tc = p.convectiveTime();
        double nu = 1 / p.reynolds();

        // least-squares slope of ln E over steps 1 .. t = 0.5 (step 0 is the equilibrium start, whose
        // non-equilibrium stress has not formed yet)
        int last = Math.min(e.length - 1, Math.max(2, (int) Math.round(0.5 * tc)));
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        int count = 0;
        for (int s = 1; s <= last; s++) {
            double t = s / tc;
            double y = Math.log(e[s]);
            sx += t;
            sy += y;
            sxx += t * t;
            sxy += t * y;
            count++;
        }
        double slope = (count * sxy - sx * sy) / (count * sxx - sx * sx);

        int every = p.every();
        int k = (int) Math.min(frames.size() - 1, Math.max(1, Math.round(0.5 * tc / every)));
        double pressureTime = k * every / tc;
        double[] pressure = pressureCheck(sim, frames.get(k), Math.exp(-6 * nu * pressureTime));

        // dissipation −dE/dt by central differences a tenth of a convective time wide
        int w = Math.max(1, (int) Math.round(0.1 * tc));
        int peak = w;
        double best = Double.NEGATIVE_INFINITY;
        for (int s = w; s + w < e.length; s++) {
            double eps = -(e[s + w] - e[s - w]) / (2.0 * w) * tc;
            if (eps > best) {
                best = eps;
                peak = s;
            }
        }
        boolean inside = peak > w && peak + w < e.length - 1;
        double end = (e.length - 1) / tc;
        return new TaylorGreenChecks(-slope, 6 * nu, pressureTime, pressure[0], pressure[1], peak / tc, inside,
                e[e.length - 1] / e[0], Math.exp(-6 * nu * end));
    }

    /** (correlation, relative L2 error) of a frame's pressure against the initial shape times {@code decay}. */
    private static double[] pressureCheck(TaylorGreenSimulator sim, float[] frame, double decay) {
        int n = sim.params().n();
        int cells = n * n * n;
        double[] measured = new double[cells];
        double[] expected = new double[cells];
        for (int z = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    int c = (z * n + y) * n + x;
                    measured[c] = frame[3 * cells + c];
                    expected[c] = sim.analytic(x, y, z)[3] * decay;
                }
            }
        }
        centre(measured);
        centre(expected);
        double mm = 0;
        double ee = 0;
        double me = 0;
        double dd = 0;
        for (int c = 0; c < cells; c++) {
            mm += measured[c] * measured[c];
            ee += expected[c] * expected[c];
            me += measured[c] * expected[c];
            double d = measured[c] - expected[c];
            dd += d * d;
        }
        return new double[]{me / Math.sqrt(mm * ee), Math.sqrt(dd / ee)};
    }

    private static void centre(double[] a) {
        double mean = 0;
        for (double v : a) {
            mean += v / a.length;
        }
        for (int i = 0; i < a.length; i++) {
            a[i] -= mean;
        }
    }

    /** Relative error of the measured initial decay rate. */
    public double decayRateError() {
        return Math.abs(decayRate - analyticDecayRate) / analyticDecayRate;
    }

    /** The figures as simulate prints them. */
    public String describe() {
        return String.format(Locale.ROOT, "initial energy decay rate -dlnE/dt = %.5f vs analytic 6/Re = %.5f"
                        + " (%.2f%% off); pressure at t = %.2f: correlation %.5f with the analytic field, relative L2"
                        + " error %.4f; peak dissipation at t = %.2f%s; E/E0 at the end %.4f (viscosity alone: %.4f)",
                decayRate, analyticDecayRate, 100 * decayRateError(), pressureTime, pressureCorrelation, pressureError,
                peakDissipationTime, peakInside ? "" : " (the run's edge: not resolved)", endEnergyRatio,
                laminarEnergyRatio);
    }
}
