package io.sparkcae.prep.samples;

import java.util.List;

/**
 * The result of one run: frames of shape (channels, n, n, n) in C order, one per saved step.
 *
 * @param dt       the sub-step the solver used
 * @param substeps sub-steps between saved steps
 */
public record Simulation(SimParams params, List<float[]> frames, double dt, int substeps) {

    /** The array shape of the whole series: (t, c, z, y, x). */
    public long[] shape() {
        int n = params.n();
        return new long[]{frames.size(), params.channels(), n, n, n};
    }

    /** Total of the scalar (channel 0) in frame {@code t}: conserved by the scheme. */
    public double scalarTotal(int t) {
        float[] f = frames.get(t);
        int cells = params.n() * params.n() * params.n();
        double sum = 0;
        for (int i = 0; i < cells; i++) {
            sum += f[i];
        }
        return sum;
    }

    /** Variance of the scalar over the grid in frame {@code t}: decays under diffusion. */
    public double scalarVariance(int t) {
        float[] f = frames.get(t);
        int cells = params.n() * params.n() * params.n();
        double mean = scalarTotal(t) / cells;
        double sum = 0;
        for (int i = 0; i < cells; i++) {
            sum += (f[i] - mean) * (f[i] - mean);
        }
        return sum / cells;
    }
}
