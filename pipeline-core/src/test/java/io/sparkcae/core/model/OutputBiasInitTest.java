package io.sparkcae.core.model;

import io.sparkcae.core.config.LayeredConfigLoader;
import io.sparkcae.core.tensor.PatchShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The untrained CAE predicts each channel's train mean: for an all-zero input the output is exactly it. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class OutputBiasInitTest {

    private static CaeModel net(PatchShape shape) {
        return new CaeNetworkBuilder(LayeredConfigLoader.load(null, List.of("model.encoder-channels=[4,4]",
                "model.latent-dim=3")).model(), shape).build(1e-3, 5);
    }

    @Test
    void outputStartsAtEachChannelsMean() {
        PatchShape shape = PatchShape.of(2, 8, 8);
        CaeModel m = net(shape);
        // data units 0.03 and 2.0 with minmax shift 0.01 / scale 2 and 0 / 4: normalised means 0.01 and 0.5
        OutputBiasInit.toMeans(m.network(), new double[]{0.03, 2.0}, new float[]{0.01f, 0f}, new float[]{2f, 4f});
        // zero input: every ReLU sees only its zero-initialised bias, so the output is sigmoid(output bias)
        INDArray out = m.reconstruct(Nd4j.zeros(shape.batchShape(1)));
        assertEquals(0.01, out.get(NDArrayIndex.point(0), NDArrayIndex.point(0)).meanNumber().doubleValue(), 1e-4);
        assertEquals(0.5, out.get(NDArrayIndex.point(0), NDArrayIndex.point(1)).meanNumber().doubleValue(), 1e-4);
    }

    @Test
    void clampsEmptyChannelsAndRejectsAChannelCountMismatch() {
        PatchShape shape = PatchShape.of(1, 8, 8);
        CaeModel m = net(shape);
        OutputBiasInit.toMeans(m.network(), new double[]{0.0});
        assertEquals(0.01, m.reconstruct(Nd4j.zeros(shape.batchShape(1))).meanNumber().doubleValue(), 1e-4);
        assertThrows(IllegalArgumentException.class, () -> OutputBiasInit.toMeans(m.network(), new double[]{0.1, 0.2}));
    }

    @Test
    void oneMeanServesEveryChannel() {
        PatchShape shape = PatchShape.of(3, 8, 8);
        CaeModel m = net(shape);
        OutputBiasInit.toMeans(m.network(), new double[]{0.2});
        assertEquals(0.2, m.reconstruct(Nd4j.zeros(shape.batchShape(1))).meanNumber().doubleValue(), 1e-4);
    }
}
