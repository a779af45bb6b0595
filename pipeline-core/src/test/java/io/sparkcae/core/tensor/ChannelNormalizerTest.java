package io.sparkcae.core.tensor;

import io.sparkcae.core.config.DataConf.Normalization;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChannelNormalizerTest {
    @Test
    void minmaxMapsEachChannelToUnitRangeAndInvertRestores() {
        // 2 samples, 2 channels, 1x2 pixels; channel 0 in [10, 20], channel 1 in [-1, 1]
        INDArray x = Nd4j.createFromArray(new float[]{10, 20, -1, 1, 15, 12, 0, 0.5f}).reshape(2, 2, 1, 2);
        INDArray original = x.dup();
        ChannelNormalizer n = ChannelNormalizer.of(Normalization.MINMAX, new double[]{15, 0}, new double[]{5, 1},
                new double[]{10, -1}, new double[]{20, 1});
        n.apply(x);
        assertEquals(0f, x.getFloat(0, 0, 0, 0), 1e-6);
        assertEquals(1f, x.getFloat(0, 0, 0, 1), 1e-6);
        assertEquals(0f, x.getFloat(0, 1, 0, 0), 1e-6);
        assertEquals(0.75f, x.getFloat(1, 1, 0, 1), 1e-6);
        n.invert(x);
        assertTrue(x.equalsWithEps(original, 1e-5));
    }

    @Test
    void standardizeUsesMeanAndStdAndConstantChannelsStayFinite() {
        INDArray x = Nd4j.createFromArray(new float[]{3, 5, 7, 7}).reshape(1, 2, 1, 2);
        ChannelNormalizer n = ChannelNormalizer.of(Normalization.STANDARDIZE, new double[]{4, 7}, new double[]{1, 0},
                new double[]{3, 7}, new double[]{5, 7});
        n.apply(x);
        assertEquals(-1f, x.getFloat(0, 0, 0, 0), 1e-6);
        assertEquals(1f, x.getFloat(0, 0, 0, 1), 1e-6);
        assertEquals(0f, x.getFloat(0, 1, 0, 0), 1e-6); // std 0: centred, not divided
    }

    @Test
    void noneIsTheIdentity() {
        INDArray x = Nd4j.rand(2, 1, 3, 3);
        INDArray before = x.dup();
        ChannelNormalizer.of(Normalization.NONE, new double[]{0.5}, new double[]{0.2}, new double[]{0}, new double[]{1})
                .apply(x);
        assertEquals(before, x);
    }

    @Test
    void clippingBoundsComeFirstAndAreTheMinmaxRange() {
        INDArray x = Nd4j.createFromArray(new float[]{-5, 0, 5, 50}).reshape(1, 1, 2, 2);
        ChannelNormalizer n = ChannelNormalizer.of(Normalization.MINMAX, new double[]{12}, new double[]{20},
                new double[]{-5}, new double[]{50}, new double[]{0}, new double[]{10});
        n.apply(x);
        assertEquals(0f, x.getFloat(0, 0, 0, 0), 1e-6);   // -5 clipped to 0
        assertEquals(0.5f, x.getFloat(0, 0, 1, 0), 1e-6); // 5 within [0, 10]
        assertEquals(1f, x.getFloat(0, 0, 1, 1), 1e-6);   // 50 clipped to 10
    }
}
