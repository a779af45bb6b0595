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
        return o instanceof CachedConvolution3D && super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode() * 31 + 1;
    }
}
