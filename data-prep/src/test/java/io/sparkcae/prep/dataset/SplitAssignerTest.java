package io.sparkcae.prep.dataset;

import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SplitAssignerTest {
    @Test
    void splitDependsOnlyOnTheIdAndFollowsTheRatios() {
        SplitAssigner a = new SplitAssigner(0.2, 0.1, "");
        SplitAssigner b = new SplitAssigner(0.2, 0.1, "");
        Map<Split, Integer> counts = new EnumMap<>(Split.class);
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            String id = "train-images.gz:" + i;
            Split s = a.assign("train-images.gz", id);
            assertEquals(s, b.assign("train-images.gz", id));
            counts.merge(s, 1, Integer::sum);
        }
        assertEquals(0.2, counts.get(Split.VAL) / (double) n, 0.01);
        assertEquals(0.1, counts.get(Split.TEST) / (double) n, 0.01);
        assertEquals(0.7, counts.get(Split.TRAIN) / (double) n, 0.01);
    }

    @Test
    void testSourcesGlobPinsWholeFilesToTest() {
        SplitAssigner a = new SplitAssigner(0.5, 0.0, "t10k*");
        for (int i = 0; i < 100; i++) {
            assertEquals(Split.TEST, a.assign("t10k-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz:" + i));
        }
        assertEquals(Split.TEST, a.assign("sub/t10k-x.png", "sub/t10k-x.png:0"));
    }
}
