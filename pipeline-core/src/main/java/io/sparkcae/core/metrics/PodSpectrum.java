package io.sparkcae.core.metrics;

import java.io.Serializable;

/**
 * The energy side of a POD: singular values of the centred snapshot matrix (descending), the cumulative
 * energy fraction of the first k modes, and the rank that holds a given fraction. Shared by the
 * driver-side {@link PodBasis} and the Gram-based {@link GramPod}, so both report ranks the same way.
 */
public final class PodSpectrum implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Modes below this fraction of the largest eigenvalue are numerical null space (centring removes one). */
    static final double RELATIVE_ENERGY_CUTOFF = 1e-12;

    private final double[] singularValues;
    private final double[] cumulativeEnergy;

    PodSpectrum(double[] singularValues) {
        this.singularValues = singularValues.clone();
        this.cumulativeEnergy = new double[singularValues.length];
        double total = 0;
        for (double s : singularValues) {
            total += s * s;
        }
        double run = 0;
        for (int k = 0; k < singularValues.length; k++) {
            run += singularValues[k] * singularValues[k];
            cumulativeEnergy[k] = run / total;
        }
        if (singularValues.length > 0) {
            cumulativeEnergy[singularValues.length - 1] = 1.0; // no 0.9999999 at full rank
        }
    }

    /** How many of the descending eigenvalues are kept (above the relative cutoff). */
    static int keptModes(double[] descendingEigenvalues) {
        double cutoff = descendingEigenvalues.length == 0 ? 0
                : Math.max(0, descendingEigenvalues[0]) * RELATIVE_ENERGY_CUTOFF;
        int k = 0;
        while (k < descendingEigenvalues.length && descendingEigenvalues[k] > cutoff) {
            k++;
        }
        return k;
    }

    public int modeCount() {
        return singularValues.length;
    }

    public double[] singularValues() {
        return singularValues.clone();
    }

    /** {@code cumulativeEnergy()[k-1]}: fraction of the total energy captured by the first k modes. */
    public double[] cumulativeEnergy() {
        return cumulativeEnergy.clone();
    }

    /** Smallest k whose modes capture at least {@code fraction} of the energy (all modes if none does). */
    public int rankForEnergy(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("energy fraction must be in (0, 1], got " + fraction);
        }
        for (int k = 0; k < cumulativeEnergy.length; k++) {
            if (cumulativeEnergy[k] >= fraction) {
                return k + 1;
            }
        }
        return cumulativeEnergy.length;
    }
}
