package io.sparkcae.core.config;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Reduced-order modelling ({@code sparkcae.rom.*}): which nonlinear reduced models rom compares with POD
 * (the convolutional autoencoder, the autoencoder on POD coefficients, or both), the latent sizes, the POD
 * size limit and the POD-autoencoder's training settings.
 */
public record RomConf(int[] latentSizes, int podMaxSnapshots, Method method, PodAe podAe) implements Serializable {

    /** The nonlinear reduced models rom builds beside POD. */
    public enum Method {
        /** the convolutional autoencoder of the train stage (and one per latent size with a sweep) */
        CAE,
        /** a dense autoencoder on the leading POD coefficients, trained by rom on the driver */
        POD_AE,
        /** both */
        ALL;

        public boolean cae() {
            return this != POD_AE;
        }

        public boolean podAe() {
            return this != CAE;
        }
    }

    /**
     * The POD-autoencoder ({@code sparkcae.rom.pod-ae.*}).
     *
     * @param energy       POD modes kept as its input: the fewest holding this fraction of the train energy
     * @param maxModes     at most this many modes, however low the energy decays
     * @param hidden       widths of the hidden layers of the encoder (the decoder mirrors them)
     * @param epochs       most epochs (early stopping usually ends sooner)
     * @param batchSize    coefficient vectors per Adam step
     * @param learningRate initial rate, decayed by a cosine schedule to 1/100 of it at the last epoch
     * @param weightDecay  decoupled weight decay of the nonlinear layers
     * @param patience     stop after this many epochs without a better validation error
     */
    public record PodAe(double energy, int maxModes, int[] hidden, int epochs, int batchSize, double learningRate,
                        double weightDecay, int patience) implements Serializable {
        public PodAe {
            hidden = hidden.clone();
        }

        @Override
        public int[] hidden() {
            return hidden.clone();
        }

        static PodAe read(ConfReader r) {
            double energy = r.positive("pod-ae.energy");
            if (energy > 1) {
                throw r.bad("pod-ae.energy", "must be in (0, 1], got " + energy);
            }
            return new PodAe(energy, r.intAtLeast("pod-ae.max-modes", 1), r.positiveInts("pod-ae.hidden"),
                    r.intAtLeast("pod-ae.epochs", 1), r.intAtLeast("pod-ae.batch-size", 1),
                    r.positive("pod-ae.learning-rate"), r.nonNegative("pod-ae.weight-decay"),
                    r.intAtLeast("pod-ae.patience", 1));
        }
    }

    public RomConf {
        latentSizes = latentSizes.clone();
    }

    static RomConf read(ConfReader r) {
        int[] sizes = r.intsOrEmpty("latent-sizes");
        for (int s : sizes) {
            if (s < 1) {
                throw r.bad("latent-sizes", "latent sizes must be >= 1, got " + Arrays.toString(sizes));
            }
        }
        if (Arrays.stream(sizes).distinct().count() != sizes.length) {
            throw r.bad("latent-sizes", "latent sizes must be distinct, got " + Arrays.toString(sizes));
        }
        int[] sorted = sizes.clone();
        Arrays.sort(sorted);
        return new RomConf(sorted, r.intAtLeast("pod-max-snapshots", 2), r.oneOf("method", Method.class),
                PodAe.read(r));
    }

    @Override
    public int[] latentSizes() {
        return latentSizes.clone();
    }

    public boolean sweep() {
        return latentSizes.length > 0;
    }
}
