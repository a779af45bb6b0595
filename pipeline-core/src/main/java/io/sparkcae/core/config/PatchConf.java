package io.sparkcae.core.config;

import java.io.Serializable;

/**
 * Sliding-window patching ({@code sparkcae.patch.*}); an empty size means one patch per sample.
 *
 * @param edge             what happens to windows crossing the far edge
 * @param minVariance      patches with a lower variance are skipped (background filter)
 * @param samplesPerSource 0 = every window, else a seeded random subset of at most this many per sample
 */
public record PatchConf(int[] size, int[] stride, EdgePolicy edge, double minVariance, int samplesPerSource)
        implements Serializable {

    public enum EdgePolicy { DROP, ZERO_PAD, REFLECT_PAD }

    static PatchConf read(ConfReader r) {
        int[] size = r.positiveIntsOrEmpty("size");
        int[] stride = r.positiveIntsOrEmpty("stride");
        if (size.length != 0 && (size.length < 2 || size.length > 3)) {
            throw r.bad("size", "must have 2 (h, w) or 3 (d, h, w) entries, or be [] for whole samples");
        }
        if (stride.length != 0 && stride.length != size.length) {
            throw r.bad("stride", "must have as many entries as sparkcae.patch.size, or be []");
        }
        double minVariance = r.nonNegative("min-variance");
        return new PatchConf(size, stride, r.oneOf("edge", EdgePolicy.class), minVariance,
                r.intAtLeast("samples-per-source", 0));
    }
}
