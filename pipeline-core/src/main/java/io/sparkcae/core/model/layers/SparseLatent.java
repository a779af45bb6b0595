package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;


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
    protected LatentPenaltyLayer<?> newLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        return new SparseLatentLayer(conf, networkDataType);
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
