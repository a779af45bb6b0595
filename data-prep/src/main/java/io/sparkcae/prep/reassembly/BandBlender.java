package io.sparkcae.prep.reassembly;

import io.sparkcae.core.tensor.PatchShape;

import java.util.Arrays;

/**
 * OverlapBlender (the whole-canvas reference in the tests)'s weighted average (Σ w·value / Σ w per position, sums in double) computed in a band
 * that moves down the sample: patches must arrive sorted by origin, so once a patch starts at slice {@code y}
 * of the first spatial axis no later patch reaches a slice above it, and those slices are finished and handed to
 * a {@link SliceSink}. Only one window's depth of slices is ever held ({@link #bandBytes}), whatever the
 * sample's size. Each position sums the same patches in the same order as OverlapBlender (the whole-canvas reference in the tests) over the
 * sorted patches, so the values are the same bit for bit. Positions of a patch past the sample's far edge
 * (zero-padded windows) are left out, which is what blending on a larger canvas and cropping gives.
 */
public final class BandBlender {
    private final PatchShape sample;
    private final int[] window;
    private final double[] windowWeights;
    private final SliceSink sink;
    private final int channels;
    private final int slices;
    private final int sliceLen;
    private final double[][] sums;
    private final double[][] weights;
    private final float[] out;
    private int next;
    private int[] lastOrigin;

    public BandBlender(PatchShape sample, int[] window, BlendWindow blend, SliceSink sink) {
        if (window.length != sample.spatialRank()) {
            throw new IllegalArgumentException("window " + Arrays.toString(window) + " does not match sample " + sample);
        }
        for (int w : window) {
            if (w <= 0) {
                throw new IllegalArgumentException("window " + Arrays.toString(window) + " must be positive");
            }
        }
        this.sample = sample;
        this.window = window.clone();
        this.windowWeights = blend.weights(window);
        this.sink = sink;
        this.channels = sample.channels();
        this.slices = sample.spatial(0);
        this.sliceLen = sample.elementCount() / channels / slices;
        int depth = Math.min(window[0], slices);
        this.sums = new double[depth][];
        this.weights = new double[depth][];
        this.out = new float[channels * sliceLen];
    }

    /** Heap the band of a sample takes: one window's depth of double sums and weights, plus one float slice. */
    public static long bandBytes(PatchShape sample, int[] window) {
        long sliceLen = sample.elementCount() / sample.channels() / sample.spatial(0);
        long depth = Math.min(window[0], sample.spatial(0));
        return depth * sliceLen * (sample.channels() + 1L) * Double.BYTES + sample.channels() * sliceLen * Float.BYTES;
    }

    /** Adds one patch (C-order values, C x window); origins must not decrease (lexicographic order). */
    public void add(int[] origin, float[] patch) throws java.io.IOException {
        check(origin, patch);
        flushBefore(Math.min(origin[0], slices));
        int rank = window.length;
        int rowLen = window[rank - 1];
        int patchPlane = windowWeights.length;
        int rows = patchPlane / rowLen;
        int lastDim = sample.spatial(rank - 1);
        int width = Math.min(rowLen, lastDim - origin[rank - 1]);
        int[] idx = new int[rank];
        for (int r = 0; r < rows; r++) {
            int slice = origin[0] + idx[0];
            boolean inside = slice < slices && width > 0;
            int dst = 0; // offset of the row start inside its slice
            for (int a = 1; a < rank && inside; a++) {
                int pos = origin[a] + idx[a];
                inside = pos < sample.spatial(a);
                dst = dst * sample.spatial(a) + pos;
            }
            if (inside) {
                int slot = slice % sums.length;
                if (sums[slot] == null) {
                    sums[slot] = new double[channels * sliceLen];
                    weights[slot] = new double[sliceLen];
                }
                double[] weight = weights[slot];
                double[] sum = sums[slot];
                int src = r * rowLen;
                for (int x = 0; x < width; x++) {
                    weight[dst + x] += windowWeights[src + x];
                }
                for (int c = 0; c < channels; c++) {
                    int pc = c * patchPlane + src;
                    int fc = c * sliceLen + dst;
                    for (int x = 0; x < width; x++) {
                        sum[fc + x] += windowWeights[src + x] * patch[pc + x];
                    }
                }
            }
            for (int a = rank - 2; a >= 0 && ++idx[a] == window[a]; a--) {
                idx[a] = 0;
            }
        }
    }

    /** Hands every slice not yet given to the sink (uncovered ones as NaN) and finishes it. */
    public void finish() throws java.io.IOException {
        flushBefore(slices);
        sink.finish();
    }

    private void flushBefore(int end) throws java.io.IOException {
        for (; next < end; next++) {
            int slot = next % sums.length;
            double[] sum = sums[slot];
            double[] weight = weights[slot];
            for (int p = 0; p < sliceLen; p++) {
                boolean covered = weight != null && weight[p] > 0;
                for (int c = 0; c < channels; c++) {
                    int i = c * sliceLen + p;
                    out[i] = covered ? (float) (sum[i] / weight[p]) : Float.NaN;
                }
            }
            sink.slice(next, out);
            if (sum != null) {
                Arrays.fill(sum, 0.0);
                Arrays.fill(weight, 0.0);
            }
        }
    }

    private void check(int[] origin, float[] patch) {
        if (origin.length != window.length) {
            throw new IllegalArgumentException("origin " + Arrays.toString(origin) + " needs " + window.length + " axes");
        }
        for (int o : origin) {
            if (o < 0) {
                throw new IllegalArgumentException("patch origin " + Arrays.toString(origin) + " is negative");
            }
        }
        if (lastOrigin != null && Arrays.compare(origin, lastOrigin) < 0) {
            throw new IllegalStateException("patches must arrive sorted by origin: " + Arrays.toString(origin)
                    + " after " + Arrays.toString(lastOrigin));
        }
        lastOrigin = origin.clone();
        int expected = channels * windowWeights.length;
        if (patch.length != expected) {
            throw new IllegalArgumentException("patch has " + patch.length + " values, expected " + expected);
        }
    }
}
