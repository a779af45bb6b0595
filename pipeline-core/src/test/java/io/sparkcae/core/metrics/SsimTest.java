package io.sparkcae.core.metrics;

import io.sparkcae.core.tensor.PatchShape;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reference values come from a numpy/scipy transcription of scikit-image's structural_similarity
 * (scipy.ndimage.gaussian_filter σ=1.5, truncate=3.5, mode="reflect", crop 5, population covariance),
 * run on the same float32 inputs as built below.
 */
class SsimTest {

    private static float[] imageA(int h, int w) {
        float[] v = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                v[y * w + x] = ((y * 7 + x * 13) % 17) / 16f;
            }
        }
        return v;
    }

    private static float[] imageB(int h, int w) {
        float[] v = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                v[y * w + x] = ((y * 5 + x * 3 + 1) % 11) / 10f;
            }
        }
        return v;
    }

    /** Smooth texture sampled from the plane at an offset, so crops at different offsets are shifts. */
    private static float[] texture(int h, int w, int dx) {
        float[] v = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double xs = x + dx;
                v[y * w + x] = (float) (0.5 + 0.25 * Math.sin(0.35 * xs + 0.2 * y) + 0.2 * Math.cos(0.25 * y - 0.15 * xs));
            }
        }
        return v;
    }

    @Test
    void identicalIsExactlyOne() {
        float[] a = imageA(14, 15);
        assertEquals(1.0, Ssim.of(a, a.clone(), PatchShape.of(1, 14, 15), 1.0));
        float[] v = new float[2 * 11 * 12 * 13];
        Random rnd = new Random(1);
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextFloat();
        }
        assertEquals(1.0, Ssim.of(v, v.clone(), PatchShape.of(2, 11, 12, 13), 1.0));
    }

    @Test
    void constantPatchesByHand() {
        // one valid position, zero variances: SSIM = (2·0.5·0.25 + C1) / (0.5² + 0.25² + C1), C1 = 1e-4
        float[] a = new float[121];
        float[] b = new float[121];
        java.util.Arrays.fill(a, 0.5f);
        java.util.Arrays.fill(b, 0.25f);
        assertEquals((0.25 + 1e-4) / (0.3125 + 1e-4), Ssim.of(a, b, PatchShape.of(1, 11, 11), 1.0), 1e-14);
    }

    @Test
    void mirroredRampByHand() {
        // a = 0.5 + g/32, b = 0.5 - g/32 with g = x - 5: the symmetric window gives equal means, variances
        // s²E and covariance -s²E, E = Σ w_i i² / Σ w_i, w_i = exp(-i²/(2·1.5²)), i = -5..5
        float[] a = new float[121];
        float[] b = new float[121];
        for (int y = 0; y < 11; y++) {
            for (int x = 0; x < 11; x++) {
                a[y * 11 + x] = 0.5f + (x - 5) / 32f;
                b[y * 11 + x] = 0.5f - (x - 5) / 32f;
            }
        }
        double num = 0;
        double den = 0;
        for (int i = -5; i <= 5; i++) {
            double w = Math.exp(-i * i / 4.5);
            num += w * i * i;
            den += w;
        }
        double var = num / den / (32.0 * 32.0);
        double c2 = 0.03 * 0.03;
        assertEquals((-2 * var + c2) / (2 * var + c2), Ssim.of(a, b, PatchShape.of(1, 11, 11), 1.0), 1e-12);
    }

    @Test
    void matchesScipyReference2d() {
        PatchShape s = PatchShape.of(1, 14, 15);
        assertEquals(0.06360713598313368, Ssim.of(imageA(14, 15), imageB(14, 15), s, 1.0), 1e-12);
        assertEquals(0.07642099634854907, Ssim.of(imageA(14, 15), imageB(14, 15), s, 2.0), 1e-12);
    }

    @Test
    void matchesScipyReferenceTwoChannels() {
        int h = 12;
        int w = 13;
        float[] a = new float[2 * h * w];
        float[] b = new float[2 * h * w];
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = (c * h + y) * w + x;
                    a[i] = ((c * 3 + y * 7 + x * 13) % 17) / 16f;
                    b[i] = a[i] + ((y + x + c) % 3 - 1) * 0.05f;
                }
            }
        }
        assertEquals(0.9911607437202938, Ssim.of(a, b, PatchShape.of(2, h, w), 1.0), 1e-12);
    }

    @Test
    void matchesScipyReference3d() {
        int d = 12;
        int h = 11;
        int w = 13;
        float[] a = new float[d * h * w];
        float[] b = new float[d * h * w];
        for (int z = 0; z < d; z++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = (z * h + y) * w + x;
                    a[i] = ((z * 5 + y * 7 + x * 13) % 17) / 16f;
                    b[i] = ((z * 3 + y * 5 + x * 3 + 1) % 11) / 10f;
                }
            }
        }
        assertEquals(-0.07967654607990572, Ssim.of(a, b, PatchShape.of(1, d, h, w), 1.0), 1e-12);
    }

    @Test
    void volumeConstantAlongDepthScoresLikeItsSlice() {
        float[] a = imageA(14, 15);
        float[] b = imageB(14, 15);
        int depth = 12;
        float[] va = new float[depth * a.length];
        float[] vb = new float[depth * b.length];
        for (int z = 0; z < depth; z++) {
            System.arraycopy(a, 0, va, z * a.length, a.length);
            System.arraycopy(b, 0, vb, z * b.length, b.length);
        }
        assertEquals(Ssim.of(a, b, PatchShape.of(1, 14, 15), 1.0),
                Ssim.of(va, vb, PatchShape.of(1, depth, 14, 15), 1.0), 1e-12);
    }

    @Test
    void moreNoiseLowerSsim() {
        PatchShape s = PatchShape.of(1, 32, 32);
        float[] a = texture(32, 32, 0);
        double previous = 1.0;
        for (double sigma : new double[]{0.01, 0.03, 0.1, 0.3}) {
            Random rnd = new Random(42);
            float[] b = a.clone();
            for (int i = 0; i < b.length; i++) {
                b[i] += (float) (sigma * rnd.nextGaussian());
            }
            double v = Ssim.of(a, b, s, 1.0);
            assertTrue(v < previous, "sigma " + sigma + ": " + v + " !< " + previous);
            assertEquals(v, Ssim.of(b, a, s, 1.0), 1e-12, "symmetric");
            previous = v;
        }
        assertTrue(previous < 0.5, "heavy noise should score low: " + previous);
    }

    @Test
    void largerShiftLowerSsim() {
        PatchShape s = PatchShape.of(1, 24, 24);
        float[] a = texture(24, 24, 0);
        double previous = 1.0;
        for (int dx = 1; dx <= 4; dx++) {
            double v = Ssim.of(a, texture(24, 24, dx), s, 1.0);
            assertTrue(v < previous, "shift " + dx + ": " + v + " !< " + previous);
            previous = v;
        }
    }

    @Test
    void refusesPatchesSmallerThanTheWindowAndBadArguments() {
        float[] small = new float[10 * 12];
        assertThrows(IllegalArgumentException.class, () -> Ssim.of(small, small, PatchShape.of(1, 10, 12), 1.0));
        float[] ok = new float[121];
        assertThrows(IllegalArgumentException.class, () -> Ssim.of(ok, new float[120], PatchShape.of(1, 11, 11), 1.0));
        assertThrows(IllegalArgumentException.class, () -> Ssim.of(ok, ok, PatchShape.of(1, 11, 11), 0));
    }

    @Test
    void aBatchGivesEachPairExactlyItsOwnValue() {
        // 70 pairs: more than one chunk of patches filtered side by side, the last one short; 2 channels; 2D and 3D
        for (PatchShape shape : new PatchShape[]{PatchShape.of(2, 13, 17), PatchShape.of(1, 11, 12, 14)}) {
            int n = shape.elementCount();
            int count = 70;
            float[] a = new float[count * n];
            float[] b = new float[count * n];
            Random rnd = new Random(5);
            for (int i = 0; i < a.length; i++) {
                a[i] = rnd.nextFloat();
                b[i] = i % 3 == 0 ? a[i] : (float) (0.3 * a[i] + 0.7 * rnd.nextFloat());
            }
            double[] batch = Ssim.ofBatch(a, b, count, shape, 1.0);
            assertEquals(count, batch.length);
            for (int p = 0; p < count; p++) {
                float[] ap = java.util.Arrays.copyOfRange(a, p * n, (p + 1) * n);
                float[] bp = java.util.Arrays.copyOfRange(b, p * n, (p + 1) * n);
                assertEquals(Ssim.of(ap, bp, shape, 1.0), batch[p], 0.0, shape + " pair " + p);
            }
            assertEquals(1.0, Ssim.ofBatch(a, a, count, shape, 1.0)[count - 1]);
        }
        assertEquals(0, Ssim.ofBatch(new float[0], new float[0], 0, PatchShape.of(1, 11, 11), 1.0).length);
        assertThrows(IllegalArgumentException.class,
                () -> Ssim.ofBatch(new float[242], new float[241], 2, PatchShape.of(1, 11, 11), 1.0));
    }
}
