package io.sparkcae.core.model.layers;

import io.sparkcae.core.model.CaeNetworkBuilder;
import io.sparkcae.core.model.ModelSpec;
import io.sparkcae.core.tensor.PatchShape;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The max-pooling layers: which kernel runs where, and that a network trains to the same parameters on either
 * kernel (libnd4j's own, forced, against oneDNN's or DL4J's path), 2D and 3D, with the layers kept through JSON.
 */
class MaxPoolingLayersTest {
    private static final Set<String> AVX2 = Set.of("sse4_2", "avx", "avx2", "fma");
    private static final Set<String> AVX512 = Set.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw",
            "avx512vl", "avx512dq", "avx512_vnni");

    @AfterEach
    void clearProperty() {
        System.clearProperty(PoolingKernel.PROPERTY);
    }

    @Test
    void libNd4jRunsWhereOneDnnHasNoAvx512KernelForThePlainLayout() {
        assertTrue(PoolingKernel.oneDnnFallsBack(AVX2, null), "AVX2-only CPU");
        assertTrue(PoolingKernel.oneDnnFallsBack(AVX2, "ALL"), "a cap cannot add instructions");
        assertFalse(PoolingKernel.oneDnnFallsBack(AVX512, null), "AVX-512 CPU");
        assertFalse(PoolingKernel.oneDnnFallsBack(AVX512, "all"));
        assertFalse(PoolingKernel.oneDnnFallsBack(AVX512, "AVX512_CORE_VNNI"));
        assertTrue(PoolingKernel.oneDnnFallsBack(AVX512, "AVX2"), "oneDNN capped at AVX2 (SPARKCAE_CPU_ISA=avx2)");
        assertTrue(PoolingKernel.oneDnnFallsBack(AVX512, "avx2_vnni"));
        assertFalse(PoolingKernel.oneDnnFallsBack(Set.of(), null), "flags unknown: ND4J's own choice");

        System.setProperty(PoolingKernel.PROPERTY, "onednn");
        assertFalse(PoolingKernel.libNd4j());
        System.setProperty(PoolingKernel.PROPERTY, "libnd4j");
        assertTrue(PoolingKernel.libNd4j(), "the CPU backend takes the forced choice");
        System.setProperty(PoolingKernel.PROPERTY, "fast");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, PoolingKernel::libNd4j);
        assertTrue(e.getMessage().contains(PoolingKernel.PROPERTY + "=fast"), e.getMessage());
    }

    @Test
    void twoDimensionalNetTrainsTheSameOnEitherKernel() {
        sameTrainingOnEitherKernel(PatchShape.of(1, 16, 16), MaxPooling2DLayer.class);
    }

    @Test
    void threeDimensionalNetTrainsTheSameOnEitherKernel() {
        sameTrainingOnEitherKernel(PatchShape.of(1, 8, 8, 8), MaxPooling3DLayer.class);
    }

    @Test
    void theLayersSurviveJson() {
        for (PatchShape shape : new PatchShape[]{PatchShape.of(1, 8, 8, 8), PatchShape.of(1, 16, 16)}) {
            ComputationGraph original = net(shape);
            ComputationGraph restored = new ComputationGraph(ComputationGraphConfiguration.fromJson(
                    original.getConfiguration().toJson()));
            restored.init(original.params().dup(), false);
            assertEquals(layerTypes(original), layerTypes(restored));
            assertTrue(layerTypes(restored).stream().anyMatch(t -> t.startsWith("MaxPooling")), layerTypes(restored).toString());
        }
    }

    private static void sameTrainingOnEitherKernel(PatchShape shape, Class<?> layerType) {
        assertEquals(2, Arrays.stream(net(shape).getLayers()).filter(layerType::isInstance).count());
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(shape.batchShape(4));
        DataSet batch = new DataSet(x, x);
        INDArray[] outputs = new INDArray[2];
        INDArray[] params = new INDArray[2];
        String[] kernels = {"libnd4j", "onednn"};
        for (int k = 0; k < 2; k++) {
            System.setProperty(PoolingKernel.PROPERTY, kernels[k]);
            ComputationGraph net = net(shape);
            for (int step = 0; step < 3; step++) {
                net.fit(batch);
            }
            outputs[k] = net.outputSingle(x);
            params[k] = net.params().dup();
        }
        assertTrue(params[0].equalsWithEps(params[1], 1e-6),
                shape + ": parameters after 3 steps differ by " + params[0].sub(params[1]).amaxNumber());
        assertTrue(outputs[0].equalsWithEps(outputs[1], 1e-6), shape + ": outputs differ");
    }

    private static ComputationGraph net(PatchShape shape) {
        ModelSpec spec = new ModelSpec(new int[]{8, 4}, 3, ModelSpec.Bottleneck.VECTOR, 6, ModelSpec.Decoder.UPSAMPLE,
                ModelSpec.Loss.MSE);
        return new CaeNetworkBuilder(spec, shape).build(1e-3, 7).network();
    }

    private static java.util.List<String> layerTypes(ComputationGraph net) {
        return Arrays.stream(net.getLayers()).map(l -> l.getClass().getSimpleName()).toList();
    }
}
