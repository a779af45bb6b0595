package io.sparkcae.prep.patching;

import io.sparkcae.core.config.DataConf;
import io.sparkcae.core.config.PatchConf;
import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.PatchShape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PatchExtractorTest {
    /** value = linear index, so every patch element says where it came from */
    private static float[] ramp(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    @Test
    void emptyWindowYieldsTheWholeSample() {
        float[] data = ramp(2 * 4 * 4);
        List<PatchExtractor.Patch> p = new PatchExtractor(new int[0], new int[0]).extract("s", PatchShape.of(2, 4, 4), data);
        assertEquals(1, p.size());
        assertSame(data, p.get(0).data());
        assertArrayEquals(new int[]{0, 0}, p.get(0).origin());
    }

    @Test
    void slidingWindow2dWithOverlapCopiesTheRightPixels() {
        // 1 x 4 x 5 image, 2x3 windows, stride 2x1 -> rows {0,2} x cols {0,1,2} = 6 patches
        List<PatchExtractor.Patch> p = new PatchExtractor(new int[]{2, 3}, new int[]{2, 1})
                .extract("s", PatchShape.of(1, 4, 5), ramp(20));
        assertEquals(6, p.size());
        PatchExtractor.Patch last = p.get(5);
        assertArrayEquals(new int[]{2, 2}, last.origin());
        assertEquals(PatchShape.of(1, 2, 3), last.shape());
        assertArrayEquals(new float[]{12, 13, 14, 17, 18, 19}, last.data());
    }

    @Test
    void multiChannelPatchesKeepChannelsFirst() {
        List<PatchExtractor.Patch> p = new PatchExtractor(new int[]{2, 2}, null)
                .extract("s", PatchShape.of(2, 2, 4), ramp(16));
        assertEquals(2, p.size());
        assertArrayEquals(new float[]{2, 3, 6, 7, 10, 11, 14, 15}, p.get(1).data());
    }

    @Test
    void volumes3dAreCutAlongDepthToo() {
        // 1 x 4 x 4 x 4 volume, 2^3 windows, stride 2 -> 8 patches
        List<PatchExtractor.Patch> p = new PatchExtractor(new int[]{2, 2, 2}, new int[]{2, 2, 2})
                .extract("v", PatchShape.of(1, 4, 4, 4), ramp(64));
        assertEquals(8, p.size());
        PatchExtractor.Patch last = p.get(7);
        assertArrayEquals(new int[]{2, 2, 2}, last.origin());
        // (d,h,w) = (2..3, 2..3, 2..3) -> 16*d + 4*h + w
        assertArrayEquals(new float[]{42, 43, 46, 47, 58, 59, 62, 63}, last.data());
    }

    @Test
    void windowLargerThanInputIsADataErrorNamingTheSource() {
        SparkCaeException e = assertThrows(SparkCaeException.class, () -> new PatchExtractor(new int[]{8, 8}, null)
                .extract("img-7.png", PatchShape.of(1, 4, 4), ramp(16)));
        assertEquals(ExitCode.BAD_DATA, e.exitCode());
        assertTrue(e.getMessage().contains("img-7.png") && e.getMessage().contains("larger"), e.getMessage());
    }

    @Test
    void zeroPadCoversTheFarEdgeWithZeros() {
        // 1 x 3 x 5, 2x2 windows at stride 2 -> rows {0,2} x cols {0,2,4}; the last ones hang over the edge
        PatchExtractor e = new PatchExtractor(new int[]{2, 2}, null, PatchConf.EdgePolicy.ZERO_PAD, 0, 0,
                DataConf.NanPolicy.FAIL, 1);
        List<PatchExtractor.Patch> p = e.extract("s", PatchShape.of(1, 3, 5), ramp(15));
        assertEquals(6, p.size());
        assertArrayEquals(new int[]{2, 4}, p.get(5).origin());
        assertArrayEquals(new float[]{14, 0, 0, 0}, p.get(5).data());
    }

    @Test
    void reflectPadMirrorsWithoutRepeatingTheEdge() {
        PatchExtractor e = new PatchExtractor(new int[]{1, 4}, new int[]{1, 4}, PatchConf.EdgePolicy.REFLECT_PAD, 0, 0,
                DataConf.NanPolicy.FAIL, 1);
        List<PatchExtractor.Patch> p = e.extract("s", PatchShape.of(1, 1, 6), ramp(6));
        assertEquals(2, p.size());
        // cols 4, 5, then reflected 4, 3 (numpy 'reflect')
        assertArrayEquals(new float[]{4, 5, 4, 3}, p.get(1).data());
    }

    @Test
    void lowVarianceBackgroundPatchesAreSkippedAndCounted() {
        float[] img = new float[4 * 4];
        img[0] = 1; // only the top-left 2x2 window has any texture
        PatchExtractor e = new PatchExtractor(new int[]{2, 2}, null, PatchConf.EdgePolicy.DROP, 0.01, 0,
                DataConf.NanPolicy.FAIL, 1);
        PatchExtractor.Extraction x = e.extract("s", 0, PatchShape.of(1, 4, 4), img);
        assertEquals(1, x.patches().size());
        assertEquals(3, x.droppedLowVariance());
        assertArrayEquals(new int[]{0, 0}, x.patches().get(0).origin());
    }

    @Test
    void nanPolicyFailNamesTheSourceAndDropPatchCounts() {
        float[] img = ramp(16);
        img[15] = Float.NaN;
        PatchExtractor fail = new PatchExtractor(new int[]{2, 2}, null, PatchConf.EdgePolicy.DROP, 0, 0,
                DataConf.NanPolicy.FAIL, 1);
        SparkCaeException ex = assertThrows(SparkCaeException.class,
                () -> fail.extract("field.npy", 3, PatchShape.of(1, 4, 4), img));
        assertEquals(ExitCode.BAD_DATA, ex.exitCode());
        assertTrue(ex.getMessage().contains("field.npy") && ex.getMessage().contains("NaN"), ex.getMessage());
        PatchExtractor drop = new PatchExtractor(new int[]{2, 2}, null, PatchConf.EdgePolicy.DROP, 0, 0,
                DataConf.NanPolicy.DROP_PATCH, 1);
        PatchExtractor.Extraction x = drop.extract("field.npy", 3, PatchShape.of(1, 4, 4), img);
        assertEquals(3, x.patches().size());
        assertEquals(1, x.droppedNonFinite());
    }

    @Test
    void randomSamplingKeepsKWindowsReproducibly() {
        PatchExtractor e = new PatchExtractor(new int[]{2, 2}, new int[]{1, 1}, PatchConf.EdgePolicy.DROP, 0, 5,
                DataConf.NanPolicy.FAIL, 42);
        List<PatchExtractor.Patch> a = e.extract("s", 7, PatchShape.of(1, 8, 8), ramp(64)).patches();
        List<PatchExtractor.Patch> b = e.extract("s", 7, PatchShape.of(1, 8, 8), ramp(64)).patches();
        assertEquals(5, a.size());
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(a.get(i).origin(), b.get(i).origin());
        }
    }
}
