package io.sparkcae.core.tensor;

import io.sparkcae.core.config.TrainConf.Corruption;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputCorruptionTest {
    private static INDArray half() {
        return Nd4j.valueArrayOf(new long[]{8, 1, 32, 32}, 0.5f);
    }

    @Test
    void gaussianNoiseHasTheRequestedSpreadAndLeavesTheCleanBatchAlone() {
        INDArray clean = half();
        INDArray noisy = new InputCorruption(Corruption.GAUSSIAN, 0.2, false).apply(clean, 7);
        double mse = noisy.sub(clean).norm2Number().doubleValue();
        mse = mse * mse / clean.length();
        assertEquals(0.04, mse, 0.004);
        assertEquals(0.5, clean.meanNumber().doubleValue(), 1e-7);
        assertEquals(noisy, new InputCorruption(Corruption.GAUSSIAN, 0.2, false).apply(clean, 7), "seeded");
    }

    @Test
    void clippingKeepsValuesInUnitRange() {
        INDArray noisy = new InputCorruption(Corruption.GAUSSIAN, 1.0, true).apply(half(), 3);
        assertTrue(noisy.minNumber().doubleValue() >= 0 && noisy.maxNumber().doubleValue() <= 1);
    }

    @Test
    void saltAndPepperSetsTheRequestedFractionToZeroOrOne() {
        INDArray noisy = new InputCorruption(Corruption.SALT_PEPPER, 0.2, true).apply(half(), 5);
        double zeros = noisy.eq(0.0).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).meanNumber().doubleValue();
        double ones = noisy.eq(1.0).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).meanNumber().doubleValue();
        assertEquals(0.1, zeros, 0.02);
        assertEquals(0.1, ones, 0.02);
    }

    @Test
    void maskZeroesOneBoxPerSample() {
        INDArray masked = new InputCorruption(Corruption.MASK, 0.25, true).apply(half(), 11);
        for (int n = 0; n < 8; n++) {
            double zeros = masked.slice(n).eq(0.0).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).sumNumber().doubleValue();
            assertEquals(8 * 8, zeros, 1e-9, "sample " + n);
        }
    }
}
