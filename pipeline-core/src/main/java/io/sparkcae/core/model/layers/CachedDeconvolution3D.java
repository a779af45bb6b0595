package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * DL4J's {@link Deconvolution3D} with a layer that reuses its training forward pass in backprop
 * ({@link CachedDeconvolution3DLayer}): DL4J's own runs every transposed convolution twice per training step.
 */
public class CachedDeconvolution3D extends Deconvolution3D {

    /** For DL4J's JSON deserialisation. */
    public CachedDeconvolution3D() {
    }

    private CachedDeconvolution3D(Deconvolution3D.Builder builder) {
        super(builder);
    }

    /** The layer {@code builder.build()} configures (validated by it), with the caching layer. */
    public static CachedDeconvolution3D from(Deconvolution3D.Builder builder) {
        builder.build();
        return new CachedDeconvolution3D(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        return LayerWiring.wire(new CachedDeconvolution3DLayer(conf, networkDataType), conf, listeners, layerIndex,
                paramsView, initializeParams, initializer());
    }

    @Override
    public CachedDeconvolution3D clone() {
        return (CachedDeconvolution3D) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CachedDeconvolution3D && super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode() * 31 + 3;
    }
}
