package io.sparkcae.prep.patching;

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
}
