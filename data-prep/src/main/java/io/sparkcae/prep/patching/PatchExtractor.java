package io.sparkcae.prep.patching;

import io.sparkcae.core.config.ConfKeys;
import io.sparkcae.core.config.DataConf.NanPolicy;
import io.sparkcae.core.config.PatchConf;
import io.sparkcae.core.config.PatchConf.EdgePolicy;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.PatchShape;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Cuts a sample (C, [D,] H, W) into patches with a sliding window of the given spatial size and stride.
 * Windows crossing the far edge are dropped or padded (zero / reflect) so every pixel is covered; an empty
 * window size means "the whole sample is one patch" (small images such as MNIST). Optional filters skip
 * near-constant background patches and patches with NaN/Inf, and a seeded random subset can be kept.
 */
public final class PatchExtractor implements Serializable {
    private static final long serialVersionUID = 2L;
    private final int[] window;
    private final int[] stride;
    private final EdgePolicy edge;
    private final double minVariance;
    private final int samplesPerSource;
    private final NanPolicy nanPolicy;
    private final long seed;

    /** One patch of a sample: its origin (spatial start indices, may be past the edge when padded). */
    public record Patch(int[] origin, PatchShape shape, float[] data) {
    }

    /** The kept patches of one sample and how many were skipped by each filter. */
    public record Extraction(List<Patch> patches, int droppedNonFinite, int droppedLowVariance) {
    }

    public PatchExtractor(int[] window, int[] stride) {
        this(window, stride, EdgePolicy.DROP, 0, 0, NanPolicy.FAIL, 0);
    }

    public PatchExtractor(PatchConf conf, NanPolicy nanPolicy, long seed) {
        this(conf.size(), conf.stride(), conf.edge(), conf.minVariance(), conf.samplesPerSource(), nanPolicy, seed);
    }

    public PatchExtractor(int[] window, int[] stride, EdgePolicy edge, double minVariance, int samplesPerSource,
                          NanPolicy nanPolicy, long seed) {
        this.window = window == null ? new int[0] : window.clone();
        this.stride = stride == null || stride.length == 0 ? this.window.clone() : stride.clone();
        if (this.window.length != this.stride.length) {
            throw SparkCaeException.usage("config key " + ConfKeys.PATCH_STRIDE + ": needs as many entries as " + ConfKeys.PATCH_SIZE);
        }
        this.edge = edge;
        this.minVariance = minVariance;
        this.samplesPerSource = samplesPerSource;
        this.nanPolicy = nanPolicy;
        this.seed = seed;
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
            throw SparkCaeException.usage("config key " + ConfKeys.PATCH_SIZE + ": " + Arrays.toString(window) + " has "
                    + window.length + " axes but " + source + " has " + sample.spatialRank() + " spatial axes");
        }
        int[] dims = new int[window.length + 1];
        dims[0] = sample.channels();
        for (int a = 0; a < window.length; a++) {
            if (window[a] > sample.spatial(a) && edge == EdgePolicy.DROP) {
                throw SparkCaeException.badData(source + ": patch size " + Arrays.toString(window)
                        + " is larger than the input " + sample + " (set " + ConfKeys.PATCH_EDGE + " to zero-pad or reflect-pad)");
            }
            dims[a + 1] = window[a];
        }
        return PatchShape.of(dims);
    }

    /** Number of window positions along each axis. */
    int[] windowCounts(PatchShape shape) {
        int rank = shape.spatialRank();
        int[] counts = new int[rank];
        for (int a = 0; a < rank; a++) {
            int s = shape.spatial(a);
            counts[a] = edge == EdgePolicy.DROP
                    ? (s - window[a]) / stride[a] + 1
                    : Math.max(0, (s - window[a] + stride[a] - 1) / stride[a]) + 1;
        }
        return counts;
    }

    /** Patches of one sample (without the filters' bookkeeping). */
    public List<Patch> extract(String source, PatchShape shape, float[] data) {
        return extract(source, 0, shape, data).patches();
    }

    public Extraction extract(String source, long index, PatchShape shape, float[] data) {
        PatchShape ps = patchShape(source, shape);
        List<Patch> candidates = new ArrayList<>();
        if (wholeSample()) {
            candidates.add(new Patch(new int[shape.spatialRank()], shape, data));
        } else {
            for (int[] origin : origins(source, index, shape)) {
                candidates.add(new Patch(origin, ps, WindowCopier.copy(shape, data, origin, ps, edge)));
            }
        }
        return filter(source, index, candidates);
    }

    /**
     * Patches of the windows a tile owns, cut from the tile's region ({@code region} holds the values of
     * {@code tile.offset() .. + tile.size()}); origins are in sample coordinates, as untiled extraction gives.
     */
    public Extraction extractTile(String source, long index, PatchShape sampleShape, Tile tile, float[] region) {
        PatchShape ps = patchShape(source, sampleShape);
        int rank = sampleShape.spatialRank();
        int[] regionDims = new int[rank + 1];
        regionDims[0] = sampleShape.channels();
        System.arraycopy(tile.size(), 0, regionDims, 1, rank);
        PatchShape regionShape = PatchShape.of(regionDims);
        List<Patch> candidates = new ArrayList<>();
        for (int[] origin : origins(source, index, sampleShape)) {
            boolean owned = true;
            int[] local = new int[rank];
            for (int a = 0; a < rank; a++) {
                int w = origin[a] / stride[a];
                owned &= w >= tile.winStart()[a] && w < tile.winEnd()[a];
                local[a] = origin[a] - tile.offset()[a];
            }
            if (owned) {
                candidates.add(new Patch(origin, ps, WindowCopier.copy(regionShape, region, local, ps, edge)));
            }
        }
        return filter(source, index, candidates);
    }

    int stride(int axis) {
        return stride[axis];
    }

    int window(int axis) {
        return window[axis];
    }

    private Extraction filter(String source, long index, List<Patch> candidates) {
        List<Patch> kept = new ArrayList<>(candidates.size());
        int nonFinite = 0;
        int lowVariance = 0;
        for (Patch p : candidates) {
            if (!allFinite(p.data())) {
                if (nanPolicy == NanPolicy.FAIL) {
                    throw SparkCaeException.badData(source + ": sample " + index + " has NaN/Inf values (patch at "
                            + Arrays.toString(p.origin()) + "); set " + ConfKeys.NAN_POLICY + " = drop-patch to skip such patches");
                }
                nonFinite++;
            } else if (minVariance > 0 && variance(p.data()) < minVariance) {
                lowVariance++;
            } else {
                kept.add(p);
            }
        }
        return new Extraction(kept, nonFinite, lowVariance);
    }

    private List<int[]> origins(String source, long index, PatchShape shape) {
        int[] counts = windowCounts(shape);
        int rank = counts.length;
        int total = 1;
        for (int c : counts) {
            total *= c;
        }
        int[] chosen = chooseWindows(source, index, total);
        List<int[]> out = new ArrayList<>(chosen.length);
        for (int w : chosen) {
            int[] origin = new int[rank];
            for (int a = rank - 1; a >= 0; a--) {
                origin[a] = (w % counts[a]) * stride[a];
                w /= counts[a];
            }
            out.add(origin);
        }
        return out;
    }

    /** All window numbers, or a seeded random subset of samplesPerSource of them, in ascending order. */
    private int[] chooseWindows(String source, long index, int total) {
        int[] all = new int[total];
        for (int i = 0; i < total; i++) {
            all[i] = i;
        }
        if (samplesPerSource == 0 || samplesPerSource >= total) {
            return all;
        }
        Random rnd = new Random(seed * 31 + source.hashCode() * 1_000_003L + index);
        for (int i = 0; i < samplesPerSource; i++) {
            int j = i + rnd.nextInt(total - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] picked = Arrays.copyOf(all, samplesPerSource);
        Arrays.sort(picked);
        return picked;
    }

    private static boolean allFinite(float[] a) {
        for (float v : a) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private static double variance(float[] a) {
        double s = 0;
        double s2 = 0;
        for (float v : a) {
            s += v;
            s2 += (double) v * v;
        }
        double m = s / a.length;
        return s2 / a.length - m * m;
    }
}
