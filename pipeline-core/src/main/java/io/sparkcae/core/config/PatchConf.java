package io.sparkcae.core.config;

import java.io.Serializable;

/** Sliding-window patching ({@code sparkcae.patch.*}); an empty size means one patch per sample. */
public record PatchConf(int[] size, int[] stride) implements Serializable {
    static PatchConf read(ConfReader r) {
        int[] size = r.positiveIntsOrEmpty("size");
        int[] stride = r.positiveIntsOrEmpty("stride");
        if (size.length != 0 && (size.length < 2 || size.length > 3)) {
            throw r.bad("size", "must have 2 (h, w) or 3 (d, h, w) entries, or be [] for whole samples");
        }
        if (stride.length != 0 && stride.length != size.length) {
            throw r.bad("stride", "must have as many entries as sparkcae.patch.size, or be []");
        }
        return new PatchConf(size, stride);
    }
}
