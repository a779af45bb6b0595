package io.sparkcae.core.model.layers;

import io.sparkcae.core.model.CaeNetworkBuilder;
import io.sparkcae.core.model.ModelSpec;
import io.sparkcae.core.tensor.PatchShape;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.OpProfiler;
import org.nd4j.linalg.profiler.ProfilerConfig;
import org.nd4j.linalg.profiler.data.StringAggregator;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The caching convolution layers: a training step runs each of their convolutions once, and trains exactly as
 * the same layer does when it recomputes the forward pass in backprop (the network's cache mode off).
 */
class CachedConvolutionLayersTest {

    @Test
    void convolution3dRunsOncePerStep() {
        // the decoder's upsampled convolutions run one libnd4j convolution each too
        withConv3dKernel("onednn", () -> checkStep(PatchShape.of(1, 8, 8, 8), ModelSpec.Decoder.UPSAMPLE, "conv3dnew",
                CachedConvolution3DLayer.class, UpsampledConvolution3DLayer.class));
    }

    @Test
    void singleChannelConvolutions3dTrainAsLibNd4jsOpDoes() {
        PatchShape shape = PatchShape.of(1, 8, 8, 8);
        ComputationGraph tapGemm = net(shape, ModelSpec.Decoder.UPSAMPLE);
        ComputationGraph libNd4j = net(shape, ModelSpec.Decoder.UPSAMPLE);
        long layers = Arrays.stream(tapGemm.getLayers()).filter(l -> l instanceof CachedConvolution3DLayer
                || l instanceof UpsampledConvolution3DLayer).count();
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(shape.batchShape(4));
        DataSet batch = new DataSet(x, x);
        INDArray probe = Nd4j.rand(shape.batchShape(2));
        for (int step = 0; step < 3; step++) {
            // the first convolution (one input channel) and the output one (one output channel) leave libnd4j's op
            long calls = withConv3dKernel("tap-gemm", () -> opCalls("conv3dnew", () -> tapGemm.fit(batch)));
            assertEquals(layers - 2, calls, "conv3dnew calls in a tap-GEMM step");
            withConv3dKernel("onednn", () -> libNd4j.fit(batch));
            INDArray a = withConv3dKernel("tap-gemm", () -> tapGemm.outputSingle(probe));
            INDArray b = withConv3dKernel("onednn", () -> libNd4j.outputSingle(probe));
            assertTrue(a.equalsWithEps(b, 1e-5), "outputs differ by " + a.sub(b).amaxNumber());
        }
        assertTrue(tapGemm.params().equalsWithEps(libNd4j.params(), 1e-5),
                "parameters after 3 steps differ by " + tapGemm.params().sub(libNd4j.params()).amaxNumber());
    }

    @Test
    void theConvolution3dKernelFollowsItsPropertyAndRefusesOtherValues() {
        assertTrue(withConv3dKernel("tap-gemm", Convolution3DKernel::tapGemm));
        assertFalse(withConv3dKernel("onednn", Convolution3DKernel::tapGemm));
        // auto: on the CPU backend, whatever its instruction set (these tests run on it)
        assertTrue(withConv3dKernel("auto", Convolution3DKernel::tapGemm));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> withConv3dKernel("winograd", Convolution3DKernel::tapGemm));
        assertTrue(e.getMessage().contains(Convolution3DKernel.PROPERTY) && e.getMessage().contains("winograd"),
                e.getMessage());
    }

    private static void withConv3dKernel(String kernel, Runnable r) {
        withConv3dKernel(kernel, () -> {
            r.run();
            return null;
        });
    }

    private static <T> T withConv3dKernel(String kernel, java.util.function.Supplier<T> s) {
        String before = System.getProperty(Convolution3DKernel.PROPERTY);
        System.setProperty(Convolution3DKernel.PROPERTY, kernel);
        try {
            return s.get();
        } finally {
            if (before == null) {
                System.clearProperty(Convolution3DKernel.PROPERTY);
            } else {
                System.setProperty(Convolution3DKernel.PROPERTY, before);
            }
        }
    }

    @Test
    void transposedConvolution3dRunsOncePerStep() {
        checkStep(PatchShape.of(1, 8, 8, 8), ModelSpec.Decoder.TRANSPOSED, "deconv3d",
                CachedDeconvolution3DLayer.class);
    }

    @Test
    void transposedConvolution2dRunsOncePerStep() {
        checkStep(PatchShape.of(1, 16, 16), ModelSpec.Decoder.TRANSPOSED, "deconv2d",
                CachedDeconvolution2DLayer.class);
    }

    @Test
    void theConfigurationSurvivesJsonWithTheCachedLayers() {
        for (PatchShape shape : new PatchShape[]{PatchShape.of(1, 8, 8, 8), PatchShape.of(1, 16, 16)}) {
            ComputationGraph original = net(shape, ModelSpec.Decoder.TRANSPOSED);
            ComputationGraphConfiguration read = ComputationGraphConfiguration.fromJson(
                    original.getConfiguration().toJson());
            ComputationGraph restored = new ComputationGraph(read);
            restored.init(original.params().dup(), false);
            assertEquals(layerTypes(original), layerTypes(restored));
            INDArray x = Nd4j.rand(shape.batchShape(2));
            assertEquals(original.outputSingle(x), restored.outputSingle(x), shape.toString());
            if (shape.spatialRank() == 3) {
                // only the first layer skips its input gradient, and the flag survives the JSON
                assertFalse(conv3d(read, "enc0_conv").isInputGradient());
                assertTrue(conv3d(read, "enc1_conv").isInputGradient());
                assertTrue(conv3d(read, CaeNetworkBuilder.OUTPUT_CONV).isInputGradient());
            }
        }
    }

    private static CachedConvolution3D conv3d(ComputationGraphConfiguration conf, String name) {
        return (CachedConvolution3D) ((LayerVertex) conf.getVertices().get(name))
                .getLayerConf().getLayer();
    }

    private static void checkStep(PatchShape shape, ModelSpec.Decoder decoder, String op, Class<?>... layerTypes) {
        ComputationGraph cached = net(shape, decoder);
        ComputationGraph recomputing = net(shape, decoder);
        // without the cache the same layers fall back to DL4J's path: the forward pass again in backprop
        recomputing.setCacheMode(CacheMode.NONE);
        long layers = Arrays.stream(cached.getLayers())
                .filter(l -> Arrays.stream(layerTypes).anyMatch(t -> t.isInstance(l))).count();
        assertTrue(layers >= 2, Arrays.toString(layerTypes) + " layers: " + layers);
        assertEquals(cached.params(), recomputing.params());
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(shape.batchShape(4));
        DataSet batch = new DataSet(x, x);
        INDArray probe = Nd4j.rand(shape.batchShape(2));

        for (int step = 0; step < 3; step++) {
            assertEquals(layers, opCalls(op, () -> cached.fit(batch)), op + " calls in a cached step");
            assertEquals(2 * layers, opCalls(op, () -> recomputing.fit(batch)), op + " calls in a recomputing step");
            // an inference pass between steps leaves nothing behind for the next step's backprop
            assertEquals(cached.outputSingle(probe), recomputing.outputSingle(probe));
        }
        assertTrue(cached.params().equalsWithEps(recomputing.params(), 1e-6),
                "parameters after 3 steps differ by " + cached.params().sub(recomputing.params()).amaxNumber());
    }

    private static ComputationGraph net(PatchShape shape, ModelSpec.Decoder decoder) {
        ModelSpec spec = new ModelSpec(new int[]{8, 4}, 3, ModelSpec.Bottleneck.VECTOR, 6, decoder,
                ModelSpec.Loss.MSE);
        return new CaeNetworkBuilder(spec, shape).build(1e-3, 7).network();
    }

    private static java.util.List<String> layerTypes(ComputationGraph net) {
        return Arrays.stream(net.getLayers()).map(l -> l.getClass().getSimpleName()).toList();
    }

    /** Calls of ND4J op {@code name} during {@code step} (its executioner reports each op's time to the profiler). */
    private static long opCalls(String name, Runnable step) {
        AtomicInteger calls = new AtomicInteger();
        OpProfiler.getInstance().reset();
        OpProfiler.getInstance().setClassAggergator(new StringAggregator() {
            @Override
            public void putTime(String key, CustomOp op, long timeSpent) {
                count(op.opName());
            }

            @Override
            public void putTime(String key, Op op, long timeSpent) {
                count(op.opName());
            }

            private void count(String opName) {
                if (opName.equals(name)) {
                    calls.incrementAndGet();
                }
            }
        });
        Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().checkElapsedTime(true).build());
        try {
            step.run();
        } finally {
            Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().build());
            OpProfiler.getInstance().setClassAggergator(new StringAggregator());
            OpProfiler.getInstance().reset();
        }
        return calls.get();
    }
}
