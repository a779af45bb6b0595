package io.sparkcae.core.model;

import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.PatchShape;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaeNetworkBuilderTest {
    private static ModelSpec spec(ModelSpec.Bottleneck b, ModelSpec.Decoder d) {
        return new ModelSpec(new int[]{8, 4}, 3, b, 6, d, ModelSpec.Loss.MSE);
    }

    @Test
    void vector2dNetReconstructsInputShapeAndEncodesToLatentDim() {
        CaeModel m = new CaeNetworkBuilder(spec(ModelSpec.Bottleneck.VECTOR, ModelSpec.Decoder.UPSAMPLE),
                PatchShape.of(1, 28, 28)).build(1e-3, 7);
        INDArray x = Nd4j.rand(new long[]{5, 1, 28, 28});
        assertArrayEquals(new long[]{5, 1, 28, 28}, m.reconstruct(x).shape());
        assertArrayEquals(new long[]{5, 6}, m.encode(x).shape());
        double min = m.reconstruct(x).minNumber().doubleValue();
        double max = m.reconstruct(x).maxNumber().doubleValue();
        assertTrue(min >= 0 && max <= 1, "sigmoid output in [0,1]: " + min + ".." + max);
    }

    @Test
    void spatialBottleneckLatentIsTheFlattenedInnerFeatureMap() {
        CaeModel m = new CaeNetworkBuilder(spec(ModelSpec.Bottleneck.SPATIAL, ModelSpec.Decoder.TRANSPOSED),
                PatchShape.of(3, 16, 16)).build(1e-3, 7);
        INDArray x = Nd4j.rand(new long[]{2, 3, 16, 16});
        assertArrayEquals(new long[]{2, 3, 16, 16}, m.reconstruct(x).shape());
        assertArrayEquals(new long[]{2, 4 * 4 * 4}, m.encode(x).shape());
    }

    @Test
    void vector3dNetOnVolumes() {
        CaeModel m = new CaeNetworkBuilder(spec(ModelSpec.Bottleneck.VECTOR, ModelSpec.Decoder.UPSAMPLE),
                PatchShape.of(2, 8, 8, 8)).build(1e-3, 7);
        INDArray x = Nd4j.rand(new long[]{3, 2, 8, 8, 8});
        assertArrayEquals(new long[]{3, 2, 8, 8, 8}, m.reconstruct(x).shape());
        assertArrayEquals(new long[]{3, 6}, m.encode(x).shape());
        m.network().fit(new org.nd4j.linalg.dataset.DataSet(x, x));
        assertTrue(Double.isFinite(m.network().score()));
    }

    @Test
    void singlePassForwardMatchesSeparateEncodeAndReconstruct() {
        for (ModelSpec.Bottleneck b : ModelSpec.Bottleneck.values()) {
            CaeModel m = new CaeNetworkBuilder(spec(b, ModelSpec.Decoder.UPSAMPLE), PatchShape.of(1, 16, 16))
                    .build(1e-3, 3);
            INDArray x = Nd4j.rand(new long[]{4, 1, 16, 16});
            ModelForward f = m.forward(x);
            assertTrue(f.latent().equalsWithEps(m.encode(x), 1e-5), b + " latent");
            assertTrue(f.reconstruction().equalsWithEps(m.reconstruct(x), 1e-5), b + " reconstruction");
        }
    }

    @Test
    void sameSeedGivesIdenticalInitialParameters() {
        ModelSpec s = spec(ModelSpec.Bottleneck.VECTOR, ModelSpec.Decoder.UPSAMPLE);
        INDArray a = new CaeNetworkBuilder(s, PatchShape.of(1, 16, 16)).build(1e-3, 42).network().params();
        INDArray b = new CaeNetworkBuilder(s, PatchShape.of(1, 16, 16)).build(1e-3, 42).network().params();
        INDArray c = new CaeNetworkBuilder(s, PatchShape.of(1, 16, 16)).build(1e-3, 43).network().params();
        assertEquals(a, b);
        assertTrue(!a.equals(c));
    }

    @Test
    void inputThatCannotBePooledIsAUsageErrorNamingTheKey() {
        SparkCaeException e = assertThrows(SparkCaeException.class, () -> new CaeNetworkBuilder(
                spec(ModelSpec.Bottleneck.VECTOR, ModelSpec.Decoder.UPSAMPLE), PatchShape.of(1, 30, 30)));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("sparkcae.model.encoder-channels"), e.getMessage());
    }
}
