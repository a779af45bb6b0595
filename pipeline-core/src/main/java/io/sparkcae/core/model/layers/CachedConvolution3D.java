package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * DL4J's {@link Convolution3D} with a layer that reuses its training forward pass in backprop
 * ({@link CachedConvolution3DLayer}): DL4J's own 3D layer runs every convolution twice per training step.
 */
public class CachedConvolution3D extends Convolution3D {
    /**
     * False on a network's first layer, whose input gradient nobody reads: the tap-GEMM kernel then skips it.
     * Serialised with the layer (DL4J's mapper reads fields); configurations saved without it keep true.
     */
    private boolean inputGradient = true;

    /** For DL4J's JSON deserialisation. */
    public CachedConvolution3D() {
    }

    private CachedConvolution3D(Convolution3D.Builder builder) {
        super(builder);
    }

    /** The layer {@code builder.build()} configures (validated by it), with the caching layer. */
    public static CachedConvolution3D from(Convolution3D.Builder builder) {
        builder.build();
        return new CachedConvolution3D(builder);
    }

    /** As {@link #from(Convolution3D.Builder)}, for a layer fed by the network's input: no input gradient. */
    public static CachedConvolution3D firstLayer(Convolution3D.Builder builder) {
        CachedConvolution3D layer = from(builder);
        layer.inputGradient = false;
        return layer;
    }

    /** Whether backprop must return the gradient with respect to the layer's input. */
    public boolean isInputGradient() {
        return inputGradient;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        return LayerWiring.wire(new CachedConvolution3DLayer(conf, networkDataType), conf, listeners, layerIndex,
                paramsView, initializeParams, initializer());
    }

    @Override
    public CachedConvolution3D clone() {
        return (CachedConvolution3D) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CachedConvolution3D && super.equals(o)
                && inputGradient == ((CachedConvolution3D) o).inputGradient;
    }

    @Override
    public int hashCode() {
        return super.hashCode() * 31 + (inputGradient ? 1 : 2);
    }
}
