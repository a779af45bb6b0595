package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * DL4J's {@link Deconvolution2D} with a layer that reuses its training forward pass in backprop
 * ({@link CachedDeconvolution2DLayer}): DL4J's own runs every transposed convolution twice per training step.
 */
public class CachedDeconvolution2D extends Deconvolution2D {

    /** For DL4J's JSON deserialisation. */
    public CachedDeconvolution2D() {
    }

    private CachedDeconvolution2D(Deconvolution2D.Builder builder) {
        super(builder);
    }

    /** The layer {@code builder.build()} configures, with the caching layer. */
    public static CachedDeconvolution2D from(Deconvolution2D.Builder builder) {
        builder.build();
        return new CachedDeconvolution2D(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        return LayerWiring.wire(new CachedDeconvolution2DLayer(conf, networkDataType), conf, listeners, layerIndex,
                paramsView, initializeParams, initializer());
    }

    @Override
    public CachedDeconvolution2D clone() {
        return (CachedDeconvolution2D) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CachedDeconvolution2D && super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode() * 31 + 2;
    }
}
