package io.sparkcae.core.config;

import java.io.Serializable;
import java.util.Arrays;

/** Reduced-order modelling ({@code sparkcae.rom.*}): the CAE latent-size sweep and the POD size limit. */
public record RomConf(int[] latentSizes, int podMaxSnapshots) implements Serializable {
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
        return new RomConf(sorted, r.intAtLeast("pod-max-snapshots", 2));
    }

    @Override
    public int[] latentSizes() {
        return latentSizes.clone();
    }

    public boolean sweep() {
        return latentSizes.length > 0;
    }
}
