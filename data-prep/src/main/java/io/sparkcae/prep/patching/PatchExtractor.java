package io.sparkcae.prep.patching;

import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.PatchShape;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a sample (C, [D,] H, W) into patches with a sliding window of the given spatial size and stride.
 * Windows that would cross the far edge are dropped. An empty window size means "the whole sample is one
 * patch", which is what small images (MNIST-sized) want.
 */
public final class PatchExtractor implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int[] window;
    private final int[] stride;

    /** One patch of a sample: its origin (spatial start indices) and its values in C-order. */
    public record Patch(int[] origin, PatchShape shape, float[] data) {
    }

    public PatchExtractor(int[] window, int[] stride) {
        this.window = window == null ? new int[0] : window.clone();
        this.stride = stride == null || stride.length == 0 ? this.window.clone() : stride.clone();
        if (this.window.length != this.stride.length) {
            throw SparkCaeException.usage("config key sparkcae.patch.stride: needs as many entries as sparkcae.patch.size");
        }
    }

    public boolean wholeSample() {
        return window.length == 0;
    }

    /** Shape of the patches this extractor yields for samples of the given shape. */
    public PatchShape patchShape(String source, PatchShape sample) {
        if (wholeSample()) {
            return sample;
        }
        if (window.length != sample.spatialRank()) {
            throw SparkCaeException.usage("config key sparkcae.patch.size: " + Arrays.toString(window) + " has "
                    + window.length + " axes but " + source + " has " + sample.spatialRank() + " spatial axes");
        }
        int[] dims = new int[window.length + 1];
        dims[0] = sample.channels();
        for (int a = 0; a < window.length; a++) {
            if (window[a] > sample.spatial(a)) {
                throw SparkCaeException.badData(source + ": patch size " + Arrays.toString(window)
                        + " is larger than the input " + sample);
            }
            dims[a + 1] = window[a];
        }
        return PatchShape.of(dims);
    }

    public List<Patch> extract(String source, PatchShape shape, float[] data) {
        PatchShape ps = patchShape(source, shape);
        if (wholeSample()) {
            return List.of(new Patch(new int[shape.spatialRank()], shape, data));
        }
        int rank = shape.spatialRank();
        int[] counts = new int[rank];
        for (int a = 0; a < rank; a++) {
            counts[a] = (shape.spatial(a) - window[a]) / stride[a] + 1;
        }
        List<Patch> out = new ArrayList<>();
        int[] idx = new int[rank];
        while (true) {
            int[] origin = new int[rank];
            for (int a = 0; a < rank; a++) {
                origin[a] = idx[a] * stride[a];
            }
            out.add(new Patch(origin, ps, copyWindow(shape, data, origin, ps)));
            int a = rank - 1;
            while (a >= 0 && ++idx[a] == counts[a]) {
                idx[a] = 0;
                a--;
            }
            if (a < 0) {
                return out;
            }
        }
    }

    private static float[] copyWindow(PatchShape shape, float[] data, int[] origin, PatchShape ps) {
        float[] out = new float[ps.elementCount()];
        int rank = shape.spatialRank();
        int rowLen = ps.spatial(rank - 1);
        int[] full = shape.dims();
        int pos = 0;
        int rows = ps.elementCount() / rowLen;
        int[] rowIdx = new int[rank]; // [c, (d,) h] counters; last axis is copied as a row
        for (int r = 0; r < rows; r++) {
            // rowIdx[0] = channel, rowIdx[1..rank-1] = spatial axes except the last
            long src = rowIdx[0];
            for (int a = 0; a < rank - 1; a++) {
                src = src * full[a + 1] + origin[a] + rowIdx[a + 1];
            }
            src = src * full[rank] + origin[rank - 1];
            System.arraycopy(data, (int) src, out, pos, rowLen);
            pos += rowLen;
            int a = rank - 1;
            while (a >= 0) {
                int limit = a == 0 ? ps.channels() : ps.spatial(a - 1);
                if (++rowIdx[a] < limit) {
                    break;
                }
                rowIdx[a] = 0;
                a--;
            }
        }
        return out;
    }
}
