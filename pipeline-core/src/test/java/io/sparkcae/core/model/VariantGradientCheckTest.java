package io.sparkcae.core.model;

import io.sparkcae.core.model.layers.SparseLatent;
import io.sparkcae.core.tensor.PatchShape;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our own backward passes (the 5D channel concat of 3D skip nets, the L1 activity penalty) against finite
 * differences of the score, in double precision and without an updater, as DL4J's gradient checker needs.
 */
@Timeout(300)
class VariantGradientCheckTest {

    private static boolean inDouble(Supplier<Boolean> check) {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            return check.get();
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }

    private static boolean check(ComputationGraph built, INDArray x, INDArray y) {
        ComputationGraphConfiguration conf = built.getConfiguration().clone();
        conf.getVertices().values().forEach(v -> {
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BaseLayer bl) {
                bl.setIUpdater(new NoOp());
            }
        });
        ComputationGraph plain = new ComputationGraph(conf);
        plain.init(built.params().dup(), true);
        ComputationGraph net = plain.convertDataType(DataType.DOUBLE);
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                .inputs(new INDArray[]{x.castTo(DataType.DOUBLE)}).labels(new INDArray[]{y.castTo(DataType.DOUBLE)})
                .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8).subset(true).maxPerParam(8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    @Test
    void skipConnectionGradientsOf3dNetMatchFiniteDifferences() {
        ModelSpec spec = new ModelSpec(new int[]{2, 2}, 3, ModelSpec.Bottleneck.SPATIAL, 4, ModelSpec.Decoder.UPSAMPLE,
                ModelSpec.Loss.MSE).withSkipConnections(true);
        PatchShape shape = PatchShape.of(1, 4, 4, 4);
        assertTrue(inDouble(() -> {
            Nd4j.getRandom().setSeed(3);
            INDArray x = Nd4j.rand(DataType.DOUBLE, shape.batchShape(2));
            return check(new CaeNetworkBuilder(spec, shape).build(1e-3, 11).network(), x, x);
        }));
    }

    @Test
    void sparseLatentGradientsMatchFiniteDifferences() {
        // smooth layers around the penalty, so the only non-smooth point is z = 0 (never hit by random data)
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).graphBuilder()
                .addInputs("in").setInputTypes(InputType.feedForward(5))
                .addLayer("code", new DenseLayer.Builder().nOut(3).activation(Activation.IDENTITY).build(), "in")
                .addLayer("sparse", new SparseLatent(0.3), "code")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(5)
                        .activation(Activation.TANH).build(), "sparse")
                .setOutputs("out").build();
        assertTrue(inDouble(() -> {
            ComputationGraph net = new ComputationGraph(conf);
            net.init();
            Nd4j.getRandom().setSeed(4);
            INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 5);
            return check(net, x, x.mul(0.5));
        }));
    }
}
