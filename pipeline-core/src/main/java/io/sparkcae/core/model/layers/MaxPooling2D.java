package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * DL4J's 2D {@link SubsamplingLayer} with max pooling on the faster CPU kernel ({@link PoolingKernel},
 * {@link MaxPooling2DLayer}).
 */
public class MaxPooling2D extends SubsamplingLayer {

    /** For DL4J's JSON deserialisation. */
    public MaxPooling2D() {
    }

    private MaxPooling2D(SubsamplingLayer.Builder builder) {
        super(builder);
    }

    /** The layer {@code builder.build()} configures (validated by it), with the kernel-choosing layer. */
    public static MaxPooling2D from(SubsamplingLayer.Builder builder) {
        builder.build();
        return new MaxPooling2D(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        return LayerWiring.wire(new MaxPooling2DLayer(conf, networkDataType), conf, listeners, layerIndex,
                paramsView, initializeParams, initializer());
    }

    @Override
    public MaxPooling2D clone() {
        return (MaxPooling2D) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MaxPooling2D && super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode() * 31 + 2;
    }
}
