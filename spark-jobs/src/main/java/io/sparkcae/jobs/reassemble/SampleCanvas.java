package io.sparkcae.jobs.reassemble;

import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.prep.reassembly.BlendWindow;
import io.sparkcae.prep.reassembly.BlendedSample;
import io.sparkcae.prep.reassembly.OverlapBlender;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects the patches of one sample and blends them. Patches padded past the far edge are blended on a
 * canvas large enough to hold them and the result is cropped back to the sample; patches are added in
 * origin order so the float sums, and thus the output, do not depend on Spark's shuffle order.
 */
final class SampleCanvas {
    private final PatchShape sample;
    private final int[] window;
    private final BlendWindow blend;
    private final List<int[]> origins = new ArrayList<>();
    private final List<float[]> data = new ArrayList<>();

    SampleCanvas(PatchShape sample, int[] window, BlendWindow blend) {
        this.sample = sample;
        this.window = window;
        this.blend = blend;
    }

    void add(int[] origin, float[] patch) {
        origins.add(origin);
        data.add(patch);
    }

    BlendedSample result() {
        int rank = window.length;
        int[] canvasDims = sample.dims();
        for (int[] o : origins) {
            for (int a = 0; a < rank; a++) {
                canvasDims[a + 1] = Math.max(canvasDims[a + 1], o[a] + window[a]);
            }
        }
        PatchShape canvas = PatchShape.of(canvasDims);
        OverlapBlender blender = new OverlapBlender(canvas, window, blend);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < origins.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(i -> origins.get(i), java.util.Arrays::compare));
        for (int i : order) {
            blender.add(origins.get(i), data.get(i));
        }
        BlendedSample full = blender.result();
        return canvas.equals(sample) ? full : crop(full, canvas);
    }

    private BlendedSample crop(BlendedSample full, PatchShape canvas) {
        float[] values = new float[sample.elementCount()];
        int plane = sample.elementCount() / sample.channels();
        boolean[] covered = new boolean[plane];
        int rank = sample.spatialRank();
        int[] idx = new int[rank];
        for (int p = 0; p < plane; p++) {
            int src = 0;
            for (int a = 0; a < rank; a++) {
                src = src * canvas.spatial(a) + idx[a];
            }
            covered[p] = full.covered()[src];
            int canvasPlane = canvas.elementCount() / canvas.channels();
            for (int c = 0; c < sample.channels(); c++) {
                values[c * plane + p] = full.values()[c * canvasPlane + src];
            }
            for (int a = rank - 1; a >= 0; a--) {
                if (++idx[a] < sample.spatial(a)) {
                    break;
                }
                idx[a] = 0;
            }
        }
        return new BlendedSample(sample, values, covered);
    }
}
