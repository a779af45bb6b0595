package io.sparkcae.core.model;

import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.tensor.PatchShape;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Cnn3DLossLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.Subsampling3DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.Upsampling3D;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnn3DPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Turns a {@link ModelSpec} and an input patch shape into a DL4J network. The encoder is
 * (conv + ReLU + 2x max-pool) per block; the decoder mirrors it with nearest upsampling + conv or a
 * stride-2 transposed conv; the output is a sigmoid map scored per pixel/voxel by the chosen loss.
 * 2D and 3D differ only in which layer classes are used, so both come from the one layer plan.
 */
public final class CaeNetworkBuilder {
    private final ModelSpec spec;
    private final PatchShape input;

    public CaeNetworkBuilder(ModelSpec spec, PatchShape input) {
        this.spec = spec;
        this.input = input;
        int f = spec.downsampling();
        for (int s : input.spatialDims()) {
            if (s % f != 0) {
                throw SparkCaeException.usage("config key sparkcae.model.encoder-channels: patch shape " + input
                        + " cannot be pooled " + spec.encoderChannels().length + " times (each spatial size must be"
                        + " divisible by " + f + ")");
            }
        }
    }

    /** Index of the layer whose activations are the latent code. */
    public int latentLayerIndex() {
        int encoderLayers = 2 * spec.encoderChannels().length;
        return spec.bottleneck() == ModelSpec.Bottleneck.VECTOR ? encoderLayers : encoderLayers - 1;
    }

    public CaeModel build(double learningRate, long seed) {
        boolean is3d = input.spatialRank() == 3;
        int[] channels = spec.encoderChannels();
        int f = spec.downsampling();
        int innerC = channels[channels.length - 1];
        int[] inner = input.spatialDims();
        for (int i = 0; i < inner.length; i++) {
            inner[i] /= f;
        }

        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                .list();
        int idx = 0;
        for (int ch : channels) {
            b.layer(idx++, conv(is3d, ch, Activation.RELU));
            b.layer(idx++, is3d
                    ? new Subsampling3DLayer.Builder(Subsampling3DLayer.PoolingType.MAX, new int[]{2, 2, 2}, new int[]{2, 2, 2})
                    .dataFormat(Convolution3D.DataFormat.NCDHW).build()
                    : new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build());
        }
        boolean firstDecoderNeedsReshape = spec.bottleneck() == ModelSpec.Bottleneck.VECTOR;
        if (firstDecoderNeedsReshape) {
            int flat = innerC;
            for (int s : inner) {
                flat *= s;
            }
            b.layer(idx++, new DenseLayer.Builder().nOut(spec.latentDim()).activation(Activation.IDENTITY)
                    .weightInit(WeightInit.XAVIER).build());
            b.layer(idx++, new DenseLayer.Builder().nOut(flat).activation(Activation.RELU).build());
        }
        for (int i = channels.length - 1; i >= 0; i--) {
            if (firstDecoderNeedsReshape) {
                b.inputPreProcessor(idx, is3d
                        ? new FeedForwardToCnn3DPreProcessor(inner[0], inner[1], inner[2], innerC, true)
                        : new FeedForwardToCnnPreProcessor(inner[0], inner[1], innerC));
                firstDecoderNeedsReshape = false;
            }
            if (spec.decoder() == ModelSpec.Decoder.UPSAMPLE) {
                b.layer(idx++, is3d ? new Upsampling3D.Builder(2).dataFormat(Convolution3D.DataFormat.NCDHW).build()
                        : new Upsampling2D.Builder(2).build());
                b.layer(idx++, conv(is3d, channels[i], Activation.RELU));
            } else {
                b.layer(idx++, transposed(is3d, channels[i]));
            }
        }
        b.layer(idx++, conv(is3d, input.channels(), Activation.SIGMOID));
        b.layer(idx, is3d
                ? new Cnn3DLossLayer.Builder(Convolution3D.DataFormat.NCDHW).lossFunction(lossFunction())
                .activation(Activation.IDENTITY).build()
                : new CnnLossLayer.Builder(lossFunction()).activation(Activation.IDENTITY).build());
        b.setInputType(is3d
                ? InputType.convolutional3D(Convolution3D.DataFormat.NCDHW, input.spatial(0), input.spatial(1),
                input.spatial(2), input.channels())
                : InputType.convolutional(input.spatial(0), input.spatial(1), input.channels()));

        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return new CaeModel(net, input, latentLayerIndex());
    }

    private Layer conv(boolean is3d, int nOut, Activation activation) {
        int k = spec.kernel();
        if (is3d) {
            return new Convolution3D.Builder().kernelSize(k, k, k).stride(1, 1, 1).nOut(nOut)
                    .dataFormat(Convolution3D.DataFormat.NCDHW).activation(activation).build();
        }
        return new ConvolutionLayer.Builder(k, k).stride(1, 1).nOut(nOut).activation(activation).build();
    }

    private Layer transposed(boolean is3d, int nOut) {
        int k = spec.kernel();
        if (is3d) {
            return new Deconvolution3D.Builder().kernelSize(k, k, k).stride(2, 2, 2).nOut(nOut)
                    .dataFormat(Convolution3D.DataFormat.NCDHW).activation(Activation.RELU).build();
        }
        return new Deconvolution2D.Builder(k, k).stride(2, 2).nOut(nOut).activation(Activation.RELU).build();
    }

    private LossFunctions.LossFunction lossFunction() {
        return switch (spec.loss()) {
            case MSE -> LossFunctions.LossFunction.MSE;
            case BCE -> LossFunctions.LossFunction.XENT;
            case L1 -> LossFunctions.LossFunction.L1;
        };
    }
}
