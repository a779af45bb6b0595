package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * A 2x nearest-neighbour upsampling followed by DL4J's {@link Convolution3D} (stride 1, same padding, odd
 * kernel), as one layer: its input is the coarse volume, its output the fine one, its parameters those of
 * the convolution. {@link UpsampledConvolution3DLayer} computes it on the coarse grid ({@link UpsamplingPhases}),
 * which for a 3x3x3 kernel takes 8 instead of 27 taps per output voxel and never materialises the upsampled
 * input: the CAE decoder's last upsample-and-convolve block was the largest share of a 3D training step.
 */
public class UpsampledConvolution3D extends Convolution3D {

    /** For DL4J's JSON deserialisation. */
    public UpsampledConvolution3D() {
    }

    private UpsampledConvolution3D(Convolution3D.Builder builder) {
        super(builder);
    }

    /** The convolution {@code builder.build()} configures (validated by it), applied after the upsampling. */
    public static UpsampledConvolution3D from(Convolution3D.Builder builder) {
        builder.build();
        return new UpsampledConvolution3D(builder);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeConvolutional3D)) {
            throw new IllegalArgumentException("layer " + getLayerName() + ": 3D convolutional input expected, got "
                    + inputType);
        }
        InputType.InputTypeConvolutional3D in = (InputType.InputTypeConvolutional3D) inputType;
        return super.getOutputType(layerIndex, InputType.convolutional3D(in.getDataFormat(), 2 * in.getDepth(),
                2 * in.getHeight(), 2 * in.getWidth(), in.getChannels()));
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        return LayerWiring.wire(new UpsampledConvolution3DLayer(conf, networkDataType), conf, listeners, layerIndex,
                paramsView, initializeParams, initializer());
    }

    @Override
    public UpsampledConvolution3D clone() {
        return (UpsampledConvolution3D) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UpsampledConvolution3D && super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode() * 31 + 5;
    }
}
