package io.sparkcae.core.model;

import io.sparkcae.core.config.ConfKeys;
import io.sparkcae.core.error.SparkCaeException;
import io.sparkcae.core.model.layers.CachedConvolution3D;
import io.sparkcae.core.model.layers.ReluActivation;
import io.sparkcae.core.model.layers.UpsampledConvolution3D;
import io.sparkcae.core.model.layers.CachedDeconvolution2D;
import io.sparkcae.core.model.layers.CachedDeconvolution3D;
import io.sparkcae.core.model.layers.MaxPooling2D;
import io.sparkcae.core.model.layers.MaxPooling3D;
import io.sparkcae.core.model.layers.SparseLatent;
import io.sparkcae.core.model.layers.VariationalLatent;
import io.sparkcae.core.tensor.PatchShape;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossL1;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import io.sparkcae.core.model.layers.ChannelConcat;
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
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Turns a {@link ModelSpec} and an input patch shape into a DL4J computation graph. The encoder is
 * (conv + ReLU + 2x max-pool) per block; the decoder mirrors it with nearest upsampling + conv or a
 * stride-2 transposed conv; the output is a sigmoid map scored per pixel/voxel by the chosen loss.
 * 2D and 3D differ only in which layer classes are used. Every variant is one graph with fixed vertex
 * names: the latent code is always vertex {@link #LATENT}, so encoding never depends on the variant.
 * <ul>
 *   <li>skip connections: decoder block i concatenates ({@link ChannelConcat}, channel axis) the output of encoder
 *   conv i, which has the same resolution (U-Net);</li>
 *   <li>latent L1: a {@link SparseLatent} identity layer is the latent;</li>
 *   <li>variational: a dense layer gives [mu | log-variance] ({@link #LATENT_PARAMS}) and a
 *   {@link VariationalLatent} samples from it.</li>
 * </ul>
 */
public final class CaeNetworkBuilder {
    /** Vertex whose activations are the latent code, in every variant. */
    public static final String LATENT = "latent";
    /** Variational only: the dense [mu | log-variance] vertex. */
    public static final String LATENT_PARAMS = "latent_params";
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";
    /** The sigmoid conv that produces the reconstruction (its bias starts at the data mean: OutputBiasInit). */
    public static final String OUTPUT_CONV = "output_conv";

    private final ModelSpec spec;
    private final PatchShape input;

    public CaeNetworkBuilder(ModelSpec spec, PatchShape input) {
        this.spec = spec;
        this.input = input;
        int f = spec.downsampling();
        for (int s : input.spatialDims()) {
            if (s % f != 0) {
                throw SparkCaeException.usage("config key " + ConfKeys.ENCODER_CHANNELS + ": patch shape " + input
                        + " cannot be pooled " + spec.encoderChannels().length + " times (each spatial size must be"
                        + " divisible by " + f + ")");
            }
        }
        if (spec.variational() && spec.bottleneck() != ModelSpec.Bottleneck.VECTOR) {
            throw SparkCaeException.usage("config key " + ConfKeys.VARIATIONAL + ": needs " + ConfKeys.BOTTLENECK
                    + " = vector (got " + spec.bottleneck().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        if (spec.variational() && spec.skipConnections()) {
            throw SparkCaeException.usage("config key " + ConfKeys.VARIATIONAL + ": cannot be combined with "
                    + ConfKeys.SKIP_CONNECTIONS + " (skips would carry the code around the sampled latent)");
        }
    }

    public CaeModel build(double learningRate, long seed) {
        ComputationGraph net = new ComputationGraph(graph(learningRate, seed, false));
        net.init();
        return new CaeModel(net, input, LATENT);
    }

    /**
     * The decoder alone, with the latent as its input (named {@link #LATENT}, so every other vertex has the
     * name it has in the full graph): for decoding sampled or interpolated codes. Vector bottleneck without
     * skip connections only, since otherwise the decoder needs more than the code.
     */
    public ComputationGraph buildDecoder(ComputationGraph trained) {
        if (spec.bottleneck() != ModelSpec.Bottleneck.VECTOR || spec.skipConnections()) {
            throw new IllegalStateException("a stand-alone decoder needs a vector bottleneck without skip connections");
        }
        ComputationGraph dec = new ComputationGraph(graph(1e-3, 0, true));
        dec.init();
        for (org.deeplearning4j.nn.api.Layer l : dec.getLayers()) {
            String name = l.conf().getLayer().getLayerName();
            if (l.numParams() > 0) {
                l.setParams(trained.getLayer(name).params());
            }
        }
        return dec;
    }

    private ComputationGraphConfiguration graph(double learningRate, long seed, boolean decoderOnly) {
        boolean is3d = input.spatialRank() == 3;
        int[] channels = spec.encoderChannels();
        int f = spec.downsampling();
        int innerC = channels[channels.length - 1];
        int[] inner = input.spatialDims();
        for (int i = 0; i < inner.length; i++) {
            inner[i] /= f;
        }
        boolean vector = spec.bottleneck() == ModelSpec.Bottleneck.VECTOR;
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder();
        if (spec.weightDecay() > 0) {
            base.weightDecay(spec.weightDecay()); // on weights, not biases; applied with the learning rate
        }
        ComputationGraphConfiguration.GraphBuilder g = base
                .seed(seed)
                .updater(new Adam(learningRate))
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                // DL4J 1.0.0-M2.1's workspaces break on a U-Net whose encoder activations must outlive the
                // bottleneck: inference throws a NullPointerException in outputOfLayersDetached, and a fit
                // returns with its activations workspace still current (every later allocation then fails
                // as a leaked workspace pointer). Plain allocation is correct there; only skip nets pay for it.
                .inferenceWorkspaceMode(spec.skipConnections() ? WorkspaceMode.NONE : WorkspaceMode.ENABLED)
                .trainingWorkspaceMode(spec.skipConnections() ? WorkspaceMode.NONE : WorkspaceMode.ENABLED)
                // Without a cache, every convolution layer recomputes its forward pass inside backprop (the
                // activation derivative needs the pre-activation it did not keep): bench profile counts two
                // conv2d calls per layer and training step. The cache lives in the training workspace.
                .cacheMode(spec.skipConnections() ? CacheMode.NONE : CacheMode.DEVICE)
                .graphBuilder();
        if (decoderOnly) {
            g.addInputs(LATENT).setInputTypes(InputType.feedForward(spec.latentDim()));
        } else {
            g.addInputs(INPUT).setInputTypes(is3d
                    ? InputType.convolutional3D(Convolution3D.DataFormat.NCDHW, input.spatial(0), input.spatial(1),
                    input.spatial(2), input.channels())
                    : InputType.convolutional(input.spatial(0), input.spatial(1), input.channels()));
            encoder(g, is3d, channels, vector);
        }

        String prev = LATENT;
        InputPreProcessor reshape = null;
        if (vector) {
            int flat = innerC;
            for (int s : inner) {
                flat *= s;
            }
            g.addLayer("dec_dense", new DenseLayer.Builder().nOut(flat).activation(new ReluActivation()).build(), prev);
            prev = "dec_dense";
            reshape = is3d ? new FeedForwardToCnn3DPreProcessor(inner[0], inner[1], inner[2], innerC, true)
                    : new FeedForwardToCnnPreProcessor(inner[0], inner[1], innerC);
        }
        for (int i = channels.length - 1; i >= 0; i--) {
            String block = "dec" + i;
            if (spec.decoder() == ModelSpec.Decoder.UPSAMPLE && is3d && !spec.skipConnections()) {
                // the upsampling folded into the convolution: no upsampled copy, 8 of 27 taps per voxel
                addLayer(g, block + "_conv", UpsampledConvolution3D.from(convolution3d(channels[i],
                        new ReluActivation())), reshape, prev);
                prev = block + "_conv";
            } else if (spec.decoder() == ModelSpec.Decoder.UPSAMPLE) {
                addLayer(g, block + "_up", is3d ? new Upsampling3D.Builder(2).dataFormat(Convolution3D.DataFormat.NCDHW)
                        .build() : new Upsampling2D.Builder(2).build(), reshape, prev);
                prev = skip(g, block, block + "_up", i);
                g.addLayer(block + "_conv", conv(is3d, channels[i], new ReluActivation()), prev);
                prev = block + "_conv";
            } else {
                addLayer(g, block + "_deconv", transposed(is3d, channels[i]), reshape, prev);
                prev = skip(g, block, block + "_deconv", i);
            }
            reshape = null;
        }
        Activation output = spec.output() == ModelSpec.Output.LINEAR ? Activation.IDENTITY : Activation.SIGMOID;
        g.addLayer(OUTPUT_CONV, conv(is3d, input.channels(), output.getActivationFunction()), prev);
        g.addLayer(OUTPUT, is3d
                ? new Cnn3DLossLayer.Builder(Convolution3D.DataFormat.NCDHW).lossFunction(lossFunction())
                .activation(Activation.IDENTITY).build()
                : new CnnLossLayer.Builder().lossFunction(lossFunction()).activation(Activation.IDENTITY).build(),
                OUTPUT_CONV);
        g.setOutputs(OUTPUT);
        return g.build();
    }

    /** Encoder blocks and the bottleneck, ending in vertex {@link #LATENT}. */
    private void encoder(ComputationGraphConfiguration.GraphBuilder g, boolean is3d, int[] channels, boolean vector) {
        String prev = INPUT;
        boolean sparse = spec.latentL1() > 0;
        for (int i = 0; i < channels.length; i++) {
            Layer conv = i == 0 ? firstConv(is3d, channels[i]) : conv(is3d, channels[i], new ReluActivation());
            g.addLayer("enc" + i + "_conv", conv, prev);
            boolean last = i == channels.length - 1;
            String pool = last && !vector && !sparse ? LATENT : "enc" + i + "_pool";
            g.addLayer(pool, is3d
                    ? MaxPooling3D.from(new Subsampling3DLayer.Builder(Subsampling3DLayer.PoolingType.MAX,
                    new int[]{2, 2, 2}, new int[]{2, 2, 2}).dataFormat(Convolution3D.DataFormat.NCDHW))
                    : MaxPooling2D.from(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)),
                    "enc" + i + "_conv");
            prev = pool;
        }
        if (vector) {
            if (spec.variational()) {
                g.addLayer(LATENT_PARAMS, new DenseLayer.Builder().nOut(2L * spec.latentDim())
                        .activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER).build(), prev);
                String sample = sparse ? "latent_sample" : LATENT;
                g.addLayer(sample, new VariationalLatent(spec.klBeta()), LATENT_PARAMS);
                prev = sample;
            } else {
                String dense = sparse ? "latent_dense" : LATENT;
                g.addLayer(dense, new DenseLayer.Builder().nOut(spec.latentDim()).activation(Activation.IDENTITY)
                        .weightInit(WeightInit.XAVIER).build(), prev);
                prev = dense;
            }
        }
        if (sparse) {
            g.addLayer(LATENT, new SparseLatent(spec.latentL1()), prev);
        }
    }

    /** With skip connections, concatenates encoder conv i to {@code from}; returns the vertex to continue from. */
    private String skip(ComputationGraphConfiguration.GraphBuilder g, String block, String from, int i) {
        if (!spec.skipConnections()) {
            return from;
        }
        g.addVertex(block + "_merge", new ChannelConcat(), from, "enc" + i + "_conv");
        return block + "_merge";
    }

    private static void addLayer(ComputationGraphConfiguration.GraphBuilder g, String name, Layer layer,
                                 InputPreProcessor pre, String in) {
        if (pre == null) {
            g.addLayer(name, layer, in);
        } else {
            g.addLayer(name, layer, pre, in);
        }
    }

    /** The encoder's first convolution: fed by the network's input, so no input gradient where we compute it. */
    private Layer firstConv(boolean is3d, int nOut) {
        if (is3d) {
            return CachedConvolution3D.firstLayer(convolution3d(nOut, new ReluActivation()));
        }
        return conv(false, nOut, new ReluActivation());
    }

    private Convolution3D.Builder convolution3d(int nOut, IActivation activation) {
        int k = spec.kernel();
        return new Convolution3D.Builder().kernelSize(k, k, k).stride(1, 1, 1).nOut(nOut)
                .dataFormat(Convolution3D.DataFormat.NCDHW).activation(activation);
    }

    private Layer conv(boolean is3d, int nOut, IActivation activation) {
        int k = spec.kernel();
        if (is3d) {
            return CachedConvolution3D.from(convolution3d(nOut, activation));
        }
        return new ConvolutionLayer.Builder(k, k).stride(1, 1).nOut(nOut).activation(activation).build();
    }

    private Layer transposed(boolean is3d, int nOut) {
        int k = spec.kernel();
        if (is3d) {
            return CachedDeconvolution3D.from(new Deconvolution3D.Builder().kernelSize(k, k, k).stride(2, 2, 2)
                    .nOut(nOut).dataFormat(Convolution3D.DataFormat.NCDHW).activation(new ReluActivation()));
        }
        return CachedDeconvolution2D.from(new Deconvolution2D.Builder(k, k).stride(2, 2).nOut(nOut)
                .activation(new ReluActivation()));
    }

    /** The loss layers see (N*H*W, C) rows, so weights of length C weigh the channels. */
    private ILossFunction lossFunction() {
        double[] w = spec.channelWeights();
        if (w.length > 0 && w.length != input.channels()) {
            throw SparkCaeException.usage("sparkcae.model.channel-weights: " + w.length + " weights for "
                    + input.channels() + " input channels");
        }
        INDArray weights = w.length == 0 ? null : Nd4j.create(w).castTo(DataType.FLOAT).reshape(1, w.length);
        return switch (spec.loss()) {
            case MSE -> weights == null ? new LossMSE() : new LossMSE(weights);
            case BCE -> weights == null ? new LossBinaryXENT() : new LossBinaryXENT(weights);
            case L1 -> weights == null ? new LossL1() : new LossL1(weights);
        };
    }
}
