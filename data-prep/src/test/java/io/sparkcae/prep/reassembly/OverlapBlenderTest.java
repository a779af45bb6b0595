package io.sparkcae.prep.reassembly;

import io.sparkcae.core.tensor.PatchShape;
import io.sparkcae.prep.patching.PatchExtractor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OverlapBlenderTest {

    private static float[] random(int n, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    private static BlendedSample reassemble(PatchShape shape, float[] data, int[] window, int[] stride, BlendWindow blend) {
        OverlapBlender b = new OverlapBlender(shape, window, blend);
        for (PatchExtractor.Patch p : new PatchExtractor(window, stride).extract("t", shape, data)) {
            b.add(p.origin(), p.data());
        }
        return b.result();
    }

    /**
     * Covered positions hold exactly the input (a weighted mean of equal values, computed in double, rounds
     * back to the same float); the rest is NaN and flagged uncovered.
     */
    private static void assertExactWhereCovered(PatchShape shape, float[] data, BlendedSample r, int[] coveredUpTo) {
        int plane = data.length / shape.channels();
        int[] dims = shape.spatialDims();
        int expectedCovered = 0;
        for (int p = 0; p < plane; p++) {
            boolean inside = true;
            for (int a = dims.length - 1, rest = p; a >= 0; a--) {
                inside &= rest % dims[a] < coveredUpTo[a];
                rest /= dims[a];
            }
            assertEquals(inside, r.covered()[p], "position " + p);
            expectedCovered += inside ? 1 : 0;
            for (int c = 0; c < shape.channels(); c++) {
                int i = c * plane + p;
                if (inside) {
                    assertEquals(data[i], r.values()[i], 0f, "value " + i);
                } else {
                    assertTrue(Float.isNaN(r.values()[i]), "value " + i + " should be NaN");
                }
            }
        }
        assertEquals(expectedCovered, r.coveredCount());
    }

    @Test
    void image2dFromPatchesAtStride4And8() {
        PatchShape shape = PatchShape.of(1, 37, 41);
        float[] img = random(shape.elementCount(), 1);
        for (BlendWindow blend : BlendWindow.values()) {
            // stride 4: origins y 0..28, x 0..32 -> rows 0..35, cols 0..39 covered
            assertExactWhereCovered(shape, img, reassemble(shape, img, new int[]{8, 8}, new int[]{4, 4}, blend), new int[]{36, 40});
            // stride 8: origins y 0..24, x 0..32 -> rows 0..31, cols 0..39 covered
            assertExactWhereCovered(shape, img, reassemble(shape, img, new int[]{8, 8}, new int[]{8, 8}, blend), new int[]{32, 40});
        }
    }

    @Test
    void twoChannelVolumeFromCubesAtStride2() {
        PatchShape shape = PatchShape.of(2, 10, 9, 11);
        float[] vol = random(shape.elementCount(), 2);
        for (BlendWindow blend : BlendWindow.values()) {
            // origins d 0..6, h 0..4, w 0..6 -> d 0..9, h 0..7, w 0..9 covered
            BlendedSample r = reassemble(shape, vol, new int[]{4, 4, 4}, new int[]{2, 2, 2}, blend);
            assertExactWhereCovered(shape, vol, r, new int[]{10, 8, 10});
        }
    }

    @Test
    void anyStrideUpToTheWindowReproducesTheInput() {
        PatchShape shape = PatchShape.of(3, 20, 23);
        float[] img = random(shape.elementCount(), 3);
        for (int stride = 1; stride <= 6; stride++) {
            int sw = Math.min(stride, 5);
            BlendedSample r = reassemble(shape, img, new int[]{6, 5}, new int[]{stride, sw}, BlendWindow.HANN);
            int coveredH = ((20 - 6) / stride) * stride + 6;
            int coveredW = ((23 - 5) / sw) * sw + 5;
            assertExactWhereCovered(shape, img, r, new int[]{coveredH, coveredW});
        }
    }

    @Test
    void hannAndUniformAgreeOnExactCrops() {
        PatchShape shape = PatchShape.of(1, 37, 41);
        float[] img = random(shape.elementCount(), 4);
        BlendedSample hann = reassemble(shape, img, new int[]{8, 8}, new int[]{3, 5}, BlendWindow.HANN);
        BlendedSample uniform = reassemble(shape, img, new int[]{8, 8}, new int[]{3, 5}, BlendWindow.UNIFORM);
        assertArrayEquals(uniform.values(), hann.values());
        assertArrayEquals(uniform.covered(), hann.covered());
    }

    @Test
    void hannFavoursThePatchWhoseCentreIsNearer() {
        // 1 x 1 x 12 strip; patch A = 1 at x 0..7, patch B = 0 at x 4..11. At x = 5, A is at its index 5
        // and B at its index 1: weights sin²(π·5.5/8) and sin²(π·1.5/8); uniform would give ½.
        PatchShape shape = PatchShape.of(1, 1, 12);
        float[] ones = {1, 1, 1, 1, 1, 1, 1, 1};
        float[] zeros = new float[8];
        BlendedSample hann = new OverlapBlender(shape, new int[]{1, 8}, BlendWindow.HANN)
                .add(new int[]{0, 0}, ones).add(new int[]{0, 4}, zeros).result();
        double wa = Math.pow(Math.sin(Math.PI * 5.5 / 8), 2);
        double wb = Math.pow(Math.sin(Math.PI * 1.5 / 8), 2);
        assertEquals(wa / (wa + wb), hann.values()[5], 1e-6);
        assertEquals(1f, hann.values()[0]);
        assertEquals(0f, hann.values()[11]);
        BlendedSample uniform = new OverlapBlender(shape, new int[]{1, 8}, BlendWindow.UNIFORM)
                .add(new int[]{0, 0}, ones).add(new int[]{0, 4}, zeros).result();
        assertEquals(0.5f, uniform.values()[5]);
    }

    @Test
    void hannWeightsAreSymmetricAndFloored() {
        double[] w = BlendWindow.HANN.weights(new int[]{4, 6});
        assertEquals(24, w.length);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) {
                assertEquals(w[y * 6 + x], w[(3 - y) * 6 + (5 - x)], 1e-15);
                assertTrue(w[y * 6 + x] >= BlendWindow.HANN_FLOOR);
            }
        }
        // 1.5 / 4 and 2.5 / 6 are the centre-most rows/columns: the product of the two axis maxima
        assertEquals(Math.pow(Math.sin(Math.PI * 1.5 / 4), 2) * Math.pow(Math.sin(Math.PI * 2.5 / 6), 2), w[8], 1e-15);
        double[] big = BlendWindow.HANN.weights(new int[]{64, 64});
        assertEquals(BlendWindow.HANN_FLOOR, big[0]); // corner product ≈ 3.6e-7, floored
    }

    @Test
    void mergedPartsEqualOneBlender() {
        PatchShape shape = PatchShape.of(1, 16, 16);
        float[] img = random(shape.elementCount(), 5);
        List<PatchExtractor.Patch> patches = new PatchExtractor(new int[]{6, 6}, new int[]{2, 2}).extract("t", shape, img);
        OverlapBlender one = new OverlapBlender(shape, new int[]{6, 6}, BlendWindow.HANN);
        OverlapBlender a = new OverlapBlender(shape, new int[]{6, 6}, BlendWindow.HANN);
        OverlapBlender b = new OverlapBlender(shape, new int[]{6, 6}, BlendWindow.HANN);
        for (int i = 0; i < patches.size(); i++) {
            float[] noisy = patches.get(i).data().clone();
            noisy[i % noisy.length] += 1; // not exact crops, so the weights matter
            one.add(patches.get(i).origin(), noisy);
            (i % 2 == 0 ? a : b).add(patches.get(i).origin(), noisy);
        }
        assertArrayEquals(one.result().values(), a.merge(b).result().values(), 1e-6f);
        assertThrows(IllegalArgumentException.class,
                () -> a.merge(new OverlapBlender(shape, new int[]{6, 6}, BlendWindow.UNIFORM)));
    }

    @Test
    void refusesPatchesOutsideTheSampleOrOfTheWrongSize() {
        OverlapBlender b = new OverlapBlender(PatchShape.of(1, 10, 10), new int[]{4, 4}, BlendWindow.UNIFORM);
        assertThrows(IllegalArgumentException.class, () -> b.add(new int[]{7, 0}, new float[16]));
        assertThrows(IllegalArgumentException.class, () -> b.add(new int[]{-1, 0}, new float[16]));
        assertThrows(IllegalArgumentException.class, () -> b.add(new int[]{0, 0}, new float[15]));
        assertThrows(IllegalArgumentException.class, () -> b.add(new int[]{0}, new float[16]));
        assertThrows(IllegalArgumentException.class,
                () -> new OverlapBlender(PatchShape.of(1, 10, 10), new int[]{11, 4}, BlendWindow.HANN));
        assertFalse(b.result().covered()[0]);
    }
}
