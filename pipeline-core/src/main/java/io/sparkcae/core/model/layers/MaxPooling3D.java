package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Subsampling3DLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * DL4J's {@link Subsampling3DLayer} with max pooling on the faster CPU kernel ({@link PoolingKernel},
 * {@link MaxPooling3DLayer}).
 */
public class MaxPooling3D extends Subsampling3DLayer {

    /** For DL4J's JSON deserialisation. */
    public MaxPooling3D() {
    }

    private MaxPooling3D(Subsampling3DLayer.Builder builder) {
        super(builder);
    }

    /** The layer {@code builder.build()} configures (validated by it), with the kernel-choosing layer. */
    public static MaxPooling3D from(Subsampling3DLayer.Builder builder) {
        builder.build();
        return new MaxPooling3D(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        return LayerWiring.wire(new MaxPooling3DLayer(conf, networkDataType), conf, listeners, layerIndex,
                paramsView, initializeParams, initializer());
    }

    @Override
    public MaxPooling3D clone() {
        return (MaxPooling3D) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MaxPooling3D && super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode() * 31 + 3;
    }
}
