package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Runtime side of {@link SparseLatent}. The penalty of the last forward pass is reported through
 * {@link #calcRegularizationScore}, which DL4J adds to the network score after backprop, so the reported
 * training loss includes it. Its gradient {@code lambda * sign(z)} is per example, like the loss gradient
 * DL4J's updater later divides by the batch size.
 */
public class SparseLatentLayer extends LatentPenaltyLayer<SparseLatent> {

    public SparseLatentLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        penalty = layerConf().getLambda() * input.norm1Number().doubleValue() / Math.max(1, input.size(0));
        // a copy, not the input itself: later layers may modify their input in place
        return mgr.dup(ArrayType.ACTIVATIONS, input, input.ordering());
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        INDArray grad = mgr.dup(ArrayType.ACTIVATION_GRAD, epsilon, epsilon.ordering());
        grad.addi(Transforms.sign(input, true).muli(layerConf().getLambda()));
        return new Pair<>(new DefaultGradient(), grad);
    }
}
