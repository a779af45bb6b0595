package io.sparkcae.core.model;

import io.sparkcae.core.config.LayeredConfigLoader;
import io.sparkcae.core.config.SparkCaeConf;
import io.sparkcae.core.error.ExitCode;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.PatchShape;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.WeightDecay;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** model.output, model.channel-weights and model.weight-decay: the options for unbounded multi-field data. */
class FieldModelOptionsTest {
    private static final int[] ENC = {4, 4};

    private static ModelSpec spec(ModelSpec.Output output, double[] weights, double decay) {
        return new ModelSpec(ENC, 3, ModelSpec.Bottleneck.VECTOR, 4, ModelSpec.Decoder.UPSAMPLE, ModelSpec.Loss.MSE,
                false, 0, false, 1, output, weights, decay);
    }

    private static BaseLayer outputConv(ComputationGraph g) {
        return (BaseLayer) g.getLayer(CaeNetworkBuilder.OUTPUT_CONV).conf().getLayer();
    }

    @Test
    void aLinearOutputIsUnboundedAndStartsAtTheChannelMeans() {
        CaeModel m = new CaeNetworkBuilder(spec(ModelSpec.Output.LINEAR, new double[0], 0), PatchShape.of(2, 16, 16))
                .build(1e-3, 3);
        ComputationGraph g = (ComputationGraph) m.network();
        assertTrue(outputConv(g).getActivationFn() instanceof ActivationIdentity);
        OutputBiasInit.toMeans(g, new double[]{-1.5, 2.0});
        assertArrayEquals(new float[]{-1.5f, 2.0f}, g.getParam(CaeNetworkBuilder.OUTPUT_CONV + "_b").toFloatVector());

        CaeModel sigmoid = new CaeNetworkBuilder(spec(ModelSpec.Output.SIGMOID, new double[0], 0),
                PatchShape.of(2, 16, 16)).build(1e-3, 3);
        assertTrue(outputConv((ComputationGraph) sigmoid.network()).getActivationFn() instanceof ActivationSigmoid);
    }

    @Test
    void channelWeightsDecideWhichChannelsTheLossSees() {
        PatchShape shape = PatchShape.of(2, 16, 16);
        INDArray x = Nd4j.rand(new long[]{3, 2, 16, 16});
        INDArray y = x.dup();
        INDArray y2 = x.dup();
        y2.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(1))
                .addi(0.5); // only channel 1 differs
        double[] onlyFirst = {1, 0};
        ComputationGraph weighted = (ComputationGraph) new CaeNetworkBuilder(
                spec(ModelSpec.Output.SIGMOID, onlyFirst, 0), shape).build(1e-3, 5).network();
        assertEquals(score(weighted, x, y), score(weighted, x, y2), 1e-6,
                "with weights [1, 0] channel 1 does not enter the loss");
        ComputationGraph plain = (ComputationGraph) new CaeNetworkBuilder(
                spec(ModelSpec.Output.SIGMOID, new double[0], 0), shape).build(1e-3, 5).network();
        assertNotEquals(score(plain, x, y), score(plain, x, y2), 1e-6);

        SparkCaeException e = assertThrows(SparkCaeException.class, () -> new CaeNetworkBuilder(
                spec(ModelSpec.Output.SIGMOID, new double[]{1, 1, 1}, 0), shape).build(1e-3, 5));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("sparkcae.model.channel-weights") && e.getMessage().contains("2 input"),
                e.getMessage());
    }

    @Test
    void weightDecayRegularisesEveryLayersWeights() {
        ComputationGraph g = (ComputationGraph) new CaeNetworkBuilder(spec(ModelSpec.Output.LINEAR, new double[0], 1e-4),
                PatchShape.of(1, 16, 16)).build(1e-3, 5).network();
        for (GraphVertex v : g.getVertices()) {
            if (v.hasLayer() && v.getLayer().conf().getLayer() instanceof BaseLayer b && v.getLayer().numParams() > 0) {
                assertTrue(b.getRegularization().stream().anyMatch(r -> r instanceof WeightDecay w
                        && w.getCoeff().valueAt(0, 0) == 1e-4), v.getVertexName() + ": " + b.getRegularization());
            }
        }
        ComputationGraph none = (ComputationGraph) new CaeNetworkBuilder(spec(ModelSpec.Output.LINEAR, new double[0], 0),
                PatchShape.of(1, 16, 16)).build(1e-3, 5).network();
        assertTrue(outputConv(none).getRegularization().isEmpty());
    }

    @Test
    void theKeysAreReadAndBadValuesNameTheirKey() {
        SparkCaeConf c = LayeredConfigLoader.load(null, List.of("model.output=linear", "model.channel-weights=[1, 1, 1, 0.5]",
                "model.weight-decay=1e-4"));
        assertEquals(ModelSpec.Output.LINEAR, c.model().output());
        assertArrayEquals(new double[]{1, 1, 1, 0.5}, c.model().channelWeights());
        assertEquals(1e-4, c.model().weightDecay());
        assertEquals(ModelSpec.Output.SIGMOID, SparkCaeConf.defaults().model().output());

        assertTrue(refused("model.output=linear", "model.loss=bce").contains("sparkcae.model.output"));
        assertTrue(refused("model.channel-weights=[1, -1]").contains("sparkcae.model.channel-weights"));
        assertTrue(refused("model.channel-weights=[0, 0]").contains("sparkcae.model.channel-weights"));
        assertTrue(refused("model.weight-decay=-1").contains("sparkcae.model.weight-decay"));
        assertTrue(refused("model.output=tanh").contains("sparkcae.model.output"));
    }

    private static String refused(String... sets) {
        SparkCaeException e = assertThrows(SparkCaeException.class, () -> LayeredConfigLoader.load(null, List.of(sets)));
        assertEquals(ExitCode.USAGE, e.exitCode());
        return e.getMessage();
    }

    private static double score(ComputationGraph g, INDArray x, INDArray y) {
        return g.score(new MultiDataSet(new INDArray[]{x}, new INDArray[]{y}), false);
    }
}
