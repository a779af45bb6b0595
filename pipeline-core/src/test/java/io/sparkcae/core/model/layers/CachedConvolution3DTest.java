package io.sparkcae.core.model.layers;

import io.sparkcae.core.model.CaeNetworkBuilder;
import io.sparkcae.core.model.ModelSpec;
import io.sparkcae.core.tensor.PatchShape;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

class CachedConvolution3DTest {
    private static final ModelSpec SPEC = new ModelSpec(new int[]{8, 4}, 3, ModelSpec.Bottleneck.VECTOR, 6,
            ModelSpec.Decoder.UPSAMPLE, ModelSpec.Loss.MSE);
    private static final int CONV_LAYERS = 5; // enc0, enc1, dec1, dec0, output

    @Test
    void aTrainingStepRunsEveryConvolutionOnceAndTrainsExactlyAsTheRecomputingLayer() {
        ComputationGraph cached = net();
        ComputationGraph recomputing = net();
        // without the cache the same layer falls back to DL4J's path: the forward convolution again in backprop
        recomputing.setCacheMode(CacheMode.NONE);
        assertEquals(cached.params(), recomputing.params());
        Nd4j.getRandom().setSeed(3);
        DataSet batch = new DataSet(Nd4j.rand(new long[]{4, 1, 8, 8, 8}), null);
        batch.setLabels(batch.getFeatures());
        INDArray probe = Nd4j.rand(new long[]{2, 1, 8, 8, 8});

        for (int step = 0; step < 3; step++) {
            int cachedCalls = conv3dCalls(() -> cached.fit(batch));
            int recomputedCalls = conv3dCalls(() -> recomputing.fit(batch));
            assertEquals(CONV_LAYERS, cachedCalls, "conv3dnew calls in a cached step");
            assertEquals(2 * CONV_LAYERS, recomputedCalls, "conv3dnew calls in a recomputing step");
            // an inference pass between steps leaves nothing behind for the next step's backprop
            assertEquals(cached.outputSingle(probe), recomputing.outputSingle(probe));
        }
        assertTrue(cached.params().equalsWithEps(recomputing.params(), 1e-6),
                "parameters after 3 steps differ by " + cached.params().sub(recomputing.params()).amaxNumber());
        assertTrue(Arrays.stream(cached.getLayers()).anyMatch(l -> l instanceof CachedConvolution3DLayer));
    }

    @Test
    void theConfigurationSurvivesJsonWithTheCachedLayer() {
        ComputationGraph original = net();
        ComputationGraphConfiguration read = ComputationGraphConfiguration.fromJson(
                original.getConfiguration().toJson());
        ComputationGraph restored = new ComputationGraph(read);
        restored.init(original.params().dup(), false);
        assertTrue(Arrays.stream(restored.getLayers()).anyMatch(l -> l instanceof CachedConvolution3DLayer));
        INDArray x = Nd4j.rand(new long[]{2, 1, 8, 8, 8});
        assertEquals(original.outputSingle(x), restored.outputSingle(x));
    }

    private static ComputationGraph net() {
        return new CaeNetworkBuilder(SPEC, PatchShape.of(1, 8, 8, 8)).build(1e-3, 7).network();
    }

    /** conv3dnew ops ND4J runs during {@code step} (its executioner reports each op's time to the profiler). */
    private static int conv3dCalls(Runnable step) {
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

            private void count(String name) {
                if (name.equals("conv3dnew")) {
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
