package io.sparkcae.prep.reassembly;

import io.sparkcae.core.config.DataConf.NanPolicy;
import io.sparkcae.core.config.PatchConf.EdgePolicy;
import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.prep.patching.PatchExtractor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BandBlenderTest {

    /** Puts the slices back into one C-order array and checks they came in order, once each, then finish. */
    private static final class Collected implements SliceSink {
        final float[] values;
        final int slices;
        final int sliceLen;
        final int channels;
        int next;
        boolean finished;

        Collected(PatchShape shape) {
            values = new float[shape.elementCount()];
            channels = shape.channels();
            slices = shape.spatial(0);
            sliceLen = shape.elementCount() / channels / slices;
        }

        @Override
        public void slice(int index, float[] v) {
            assertEquals(next++, index, "slices come in order");
            assertEquals(channels * sliceLen, v.length);
            for (int c = 0; c < channels; c++) {
                System.arraycopy(v, c * sliceLen, values, (c * slices + index) * sliceLen, sliceLen);
            }
        }

        @Override
        public void finish() {
            assertEquals(slices, next, "every slice before finish");
            finished = true;
        }

        @Override
        public void close() {
        }
    }

    private static float[] random(int n, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    private static List<PatchExtractor.Patch> sortedPatches(PatchShape shape, float[] data, int[] window, int[] stride,
                                                            EdgePolicy edge, long shuffleSeed) {
        List<PatchExtractor.Patch> patches = new ArrayList<>(new PatchExtractor(window, stride, edge, 0, 0,
                NanPolicy.FAIL, 0).extract("s", 0, shape, data).patches());
        Collections.shuffle(patches, new Random(shuffleSeed));
        patches.sort(Comparator.comparing(PatchExtractor.Patch::origin, Arrays::compare));
        return patches;
    }

    /** The whole-canvas reference: blended on a canvas that holds every patch, then cropped to the sample. */
    private static float[] reference(PatchShape shape, List<PatchExtractor.Patch> patches, int[] window, BlendWindow blend) {
        int[] dims = shape.dims();
        for (PatchExtractor.Patch p : patches) {
            for (int a = 0; a < window.length; a++) {
                dims[a + 1] = Math.max(dims[a + 1], p.origin()[a] + window[a]);
            }
        }
        PatchShape canvas = PatchShape.of(dims);
        OverlapBlender b = new OverlapBlender(canvas, window, blend);
        patches.forEach(p -> b.add(p.origin(), p.data()));
        float[] full = b.result().values();
        float[] out = new float[shape.elementCount()];
        int[] sp = shape.spatialDims();
        int plane = out.length / shape.channels();
        int canvasPlane = canvas.elementCount() / canvas.channels();
        for (int p = 0; p < plane; p++) {
            int src = 0;
            for (int a = 0, rest = p, div = plane; a < sp.length; a++) {
                div /= sp[a];
                int idx = rest / div;
                rest %= div;
                src = src * canvas.spatial(a) + idx;
            }
            for (int c = 0; c < shape.channels(); c++) {
                out[c * plane + p] = full[c * canvasPlane + src];
            }
        }
        return out;
    }

    private static float[] banded(PatchShape shape, List<PatchExtractor.Patch> patches, int[] window, BlendWindow blend)
            throws IOException {
        Collected sink = new Collected(shape);
        BandBlender b = new BandBlender(shape, window, blend, sink);
        for (PatchExtractor.Patch p : patches) {
            b.add(p.origin(), p.data());
        }
        b.finish();
        assertTrue(sink.finished);
        return sink.values;
    }

    @Test
    void sameBitsAsTheWholeCanvasForImagesAndVolumesAtAnyStrideAndEdge() throws IOException {
        record Case(int[] dims, int[] window, int[] stride, EdgePolicy edge) {
        }
        List<Case> cases = List.of(
                new Case(new int[]{3, 23, 19}, new int[]{6, 5}, new int[]{3, 2}, EdgePolicy.DROP),
                new Case(new int[]{1, 23, 19}, new int[]{8, 8}, new int[]{5, 3}, EdgePolicy.ZERO_PAD),
                new Case(new int[]{2, 17, 30}, new int[]{4, 7}, new int[]{4, 7}, EdgePolicy.REFLECT_PAD),
                new Case(new int[]{1, 5, 6}, new int[]{8, 8}, new int[]{8, 8}, EdgePolicy.ZERO_PAD), // window > sample
                new Case(new int[]{2, 9, 10, 11}, new int[]{4, 4, 4}, new int[]{2, 3, 2}, EdgePolicy.ZERO_PAD),
                new Case(new int[]{1, 9, 10, 11}, new int[]{3, 5, 4}, new int[]{2, 2, 3}, EdgePolicy.DROP));
        long seed = 1;
        for (Case c : cases) {
            PatchShape shape = PatchShape.of(c.dims());
            float[] data = random(shape.elementCount(), seed++);
            for (BlendWindow blend : BlendWindow.values()) {
                List<PatchExtractor.Patch> patches = sortedPatches(shape, data, c.window(), c.stride(), c.edge(), seed);
                float[] expected = reference(shape, patches, c.window(), blend);
                float[] actual = banded(shape, patches, c.window(), blend);
                String what = Arrays.toString(c.dims()) + " window " + Arrays.toString(c.window()) + " stride "
                        + Arrays.toString(c.stride()) + " " + c.edge() + " " + blend;
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                            what + ": value " + i + " (" + expected[i] + " vs " + actual[i] + ")");
                }
            }
        }
    }

    @Test
    void uncoveredSlicesAndPositionsAreNaNAndCoveredOnesReproduceTheInput() throws IOException {
        PatchShape shape = PatchShape.of(1, 10, 9);
        float[] data = random(shape.elementCount(), 7);
        // stride 4 over 10 rows with a window of 4: rows 0..7 covered, 8..9 not; columns 0..8 with 3/3 all covered
        float[] out = banded(shape, sortedPatches(shape, data, new int[]{4, 3}, new int[]{4, 3}, EdgePolicy.DROP, 3),
                new int[]{4, 3}, BlendWindow.HANN);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 9; x++) {
                int i = y * 9 + x;
                if (y < 8) {
                    assertEquals(data[i], out[i], 0f, "y=" + y + " x=" + x);
                } else {
                    assertTrue(Float.isNaN(out[i]), "y=" + y + " x=" + x);
                }
            }
        }
    }

    @Test
    void patchesOutOfOrderAreRefused() throws IOException {
        PatchShape shape = PatchShape.of(1, 8, 8);
        BandBlender b = new BandBlender(shape, new int[]{4, 4}, BlendWindow.UNIFORM, new Collected(shape));
        b.add(new int[]{4, 0}, new float[16]);
        assertThrows(IllegalStateException.class, () -> b.add(new int[]{0, 4}, new float[16]));
        assertThrows(IllegalArgumentException.class, () -> b.add(new int[]{4, 4}, new float[15]));
    }

    @Test
    void theBandHoldsOneWindowOfSlicesWhateverTheSampleHeight() {
        int[] window = {64, 64};
        long small = BandBlender.bandBytes(PatchShape.of(3, 1024, 5120), window);
        long tall = BandBlender.bandBytes(PatchShape.of(3, 100_000, 5120), window);
        assertEquals(small, tall);
        assertEquals(64L * 5120 * 4 * 8 + 3L * 5120 * 4, small);
    }
}
