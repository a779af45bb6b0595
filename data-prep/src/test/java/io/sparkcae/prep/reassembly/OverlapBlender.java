package io.sparkcae.prep.reassembly;

import io.sparkcae.core.tensor.PatchShape;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The whole-canvas reference for {@link BandBlender} (which reassemble uses): reassembles one sample from (possibly overlapping) patches, e.g. a CAE's reconstructions or residual
 * maps, as a weighted average: each position gets Σ w·value / Σ w over the patches that cover it, w
 * from the {@link BlendWindow}. Patches that are exact crops of a sample give that sample back, whatever
 * the stride and window. Origins are the spatial start indices, as {@code PatchExtractor} emits them.
 *
 * <p>Sums are kept in double (8 bytes per value plus 8 per spatial position), so the result does not
 * depend on the order patches arrive in beyond rounding; blenders over parts of one sample
 * {@link #merge} — e.g. when its patches landed in different Spark partitions.
 */
public final class OverlapBlender implements Serializable {
    private static final long serialVersionUID = 1L;
    private final PatchShape fullShape;
    private final int[] window;
    private final double[] windowWeights;
    private final double[] weightedSum;
    private final double[] weight;

    /**
     * @param fullShape C, [D,] H, W of the sample being rebuilt
     * @param window    spatial size of every patch ([D,] H, W)
     */
    public OverlapBlender(PatchShape fullShape, int[] window, BlendWindow blend) {
        if (window.length != fullShape.spatialRank()) {
            throw new IllegalArgumentException("window " + Arrays.toString(window) + " does not match sample " + fullShape);
        }
        for (int a = 0; a < window.length; a++) {
            if (window[a] <= 0 || window[a] > fullShape.spatial(a)) {
                throw new IllegalArgumentException("window " + Arrays.toString(window) + " does not fit sample " + fullShape);
            }
        }
        this.fullShape = fullShape;
        this.window = window.clone();
        this.windowWeights = blend.weights(window);
        int plane = fullShape.elementCount() / fullShape.channels();
        this.weightedSum = new double[fullShape.elementCount()];
        this.weight = new double[plane];
    }

    /** Adds one patch: C-order (C, window...) values whose first spatial position is at {@code origin}. */
    public OverlapBlender add(int[] origin, float[] patch) {
        checkPatch(origin, patch);
        int rank = window.length;
        int rowLen = window[rank - 1];
        int patchPlane = windowWeights.length;
        int fullPlane = weight.length;
        int rows = patchPlane / rowLen;
        int[] idx = new int[rank]; // position of the current row inside the window; last axis stays 0
        for (int r = 0; r < rows; r++) {
            int dst = 0; // spatial offset of the row start in the sample
            for (int a = 0; a < rank; a++) {
                dst = dst * fullShape.spatial(a) + origin[a] + idx[a];
            }
            int src = r * rowLen;
            for (int x = 0; x < rowLen; x++) {
                weight[dst + x] += windowWeights[src + x];
            }
            for (int c = 0; c < fullShape.channels(); c++) {
                int pc = c * patchPlane + src;
                int fc = c * fullPlane + dst;
                for (int x = 0; x < rowLen; x++) {
                    weightedSum[fc + x] += windowWeights[src + x] * patch[pc + x];
                }
            }
            for (int a = rank - 2; a >= 0 && ++idx[a] == window[a]; a--) {
                idx[a] = 0;
            }
        }
        return this;
    }

    /** Folds in a blender of the same sample, shape, window and blend window. */
    public OverlapBlender merge(OverlapBlender other) {
        if (!other.fullShape.equals(fullShape) || !Arrays.equals(other.window, window)
                || !Arrays.equals(other.windowWeights, windowWeights)) {
            throw new IllegalArgumentException("cannot merge blenders of different samples, windows or blend windows");
        }
        for (int i = 0; i < weightedSum.length; i++) {
            weightedSum[i] += other.weightedSum[i];
        }
        for (int i = 0; i < weight.length; i++) {
            weight[i] += other.weight[i];
        }
        return this;
    }

    public BlendedSample result() {
        int plane = weight.length;
        boolean[] covered = new boolean[plane];
        for (int p = 0; p < plane; p++) {
            covered[p] = weight[p] > 0;
        }
        float[] values = new float[weightedSum.length];
        for (int c = 0; c < fullShape.channels(); c++) {
            for (int p = 0; p < plane; p++) {
                int i = c * plane + p;
                values[i] = covered[p] ? (float) (weightedSum[i] / weight[p]) : Float.NaN;
            }
        }
        return new BlendedSample(fullShape, values, covered);
    }

    private void checkPatch(int[] origin, float[] patch) {
        if (origin.length != window.length) {
            throw new IllegalArgumentException("origin " + Arrays.toString(origin) + " needs " + window.length + " axes");
        }
        for (int a = 0; a < window.length; a++) {
            if (origin[a] < 0 || origin[a] + window[a] > fullShape.spatial(a)) {
                throw new IllegalArgumentException("patch at " + Arrays.toString(origin) + " of size " + Arrays.toString(window)
                        + " does not lie inside " + fullShape);
            }
        }
        int expected = fullShape.channels() * windowWeights.length;
        if (patch.length != expected) {
            throw new IllegalArgumentException("patch has " + patch.length + " values, expected " + expected);
        }
    }
}
