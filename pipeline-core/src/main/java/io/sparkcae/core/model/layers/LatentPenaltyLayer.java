package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime side shared by our parameterless latent layers: each computes a penalty in its forward pass
 * (L1 activity, KL) and reports it through {@link #calcRegularizationScore}, which DL4J adds to the network
 * score after backprop, so the reported training loss includes it.
 */
abstract class LatentPenaltyLayer<C extends LatentPenaltyConf> extends AbstractLayer<C> {
    /** The penalty of the last forward pass (per example, averaged over the batch). */
    protected double penalty;

    protected LatentPenaltyLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public double calcRegularizationScore(boolean backpropParamsOnly) {
        return penalty;
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
        // no weight noise on a parameterless layer
    }

    @Override
    public INDArray params() {
        return null;
    }
}
