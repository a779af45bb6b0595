package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * Identity on the latent code that adds an L1 activity penalty {@code lambda * mean over the batch of
 * sum |z|} to the training objective (DL4J has no activity regulariser). Works on vector and spatial latents.
 */
public class SparseLatent extends LatentPenaltyConf {
    private double lambda;

    /** For DL4J's JSON deserialisation. */
    public SparseLatent() {
    }

    public SparseLatent(double lambda) {
        this.lambda = lambda;
    }

    public double getLambda() {
        return lambda;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        SparseLatentLayer layer = new SparseLatentLayer(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return inputType;
    }

    @Override
    public SparseLatent clone() {
        return (SparseLatent) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparseLatent s && super.equals(o) && Double.compare(lambda, s.lambda) == 0;
    }

    @Override
    public int hashCode() {
        return super.hashCode() * 31 + Double.hashCode(lambda);
    }
}
