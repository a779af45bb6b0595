package io.sparkcae.core.tensor;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Shape of one patch in C-order: channels first, then the spatial axes ([D,] H, W). 2D and 3D patches
 * share this type so every stage handles both without special cases.
 */
public final class PatchShape implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int[] dims;

    private PatchShape(int[] dims) {
        this.dims = dims;
    }

    /** @param dims C, then 2 or 3 spatial sizes, all positive. */
    public static PatchShape of(int... dims) {
        if (dims.length < 3 || dims.length > 4) {
            throw new IllegalArgumentException("patch shape must be (C,H,W) or (C,D,H,W), got " + Arrays.toString(dims));
        }
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("patch shape has a non-positive size: " + Arrays.toString(dims));
            }
        }
        return new PatchShape(dims.clone());
    }

    public int channels() {
        return dims[0];
    }

    /** 2 for images, 3 for volumes. */
    public int spatialRank() {
        return dims.length - 1;
    }

    public int spatial(int axis) {
        return dims[1 + axis];
    }

    public int[] spatialDims() {
        return Arrays.copyOfRange(dims, 1, dims.length);
    }

    public int[] dims() {
        return dims.clone();
    }

    public int elementCount() {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** Shape of a batch of these patches as ND4J expects it: N, C, [D,] H, W. */
    public long[] batchShape(int batch) {
        long[] s = new long[dims.length + 1];
        s[0] = batch;
        for (int i = 0; i < dims.length; i++) {
            s[i + 1] = dims[i];
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PatchShape && Arrays.equals(dims, ((PatchShape) o).dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            b.append(i == 0 ? "" : "x").append(dims[i]);
        }
        return b.toString();
    }
}
