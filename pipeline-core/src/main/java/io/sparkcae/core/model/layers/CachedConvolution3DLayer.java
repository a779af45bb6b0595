package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.Convolution3DLayer;
import org.deeplearning4j.nn.params.Convolution3DParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * A 3D convolution layer whose backprop takes the pre-activation from the forward pass of the same step.
 * DL4J's ConvolutionLayer.activate already keeps a copy of it in the FF_CACHE workspace when the network's
 * cache mode is on, but Convolution3DLayer's backprop never looks at it and runs the convolution again (about
 * 15% of a 3D training step in bench profile). The copy is used only when this step's forward pass made it, so a stale one
 * (from an earlier step, or a pass without the cache workspace) is never read.
 *
 * <p>With one input or one output channel (a CAE's first and last convolutions), stride 1 and same padding,
 * the convolution and its gradients run as {@link SingleChannelConvolution3D} where {@link Convolution3DKernel}
 * says so; every other case is DL4J's path. There, a first layer ({@link CachedConvolution3D#isInputGradient})
 * returns no input gradient: the network's input has no use for it.
 */
public class CachedConvolution3DLayer extends Convolution3DLayer {

    public CachedConvolution3DLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        preOutput = null;
        return super.activate(training, workspaceMgr);
    }

    @Override
    protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop,
                                                 LayerWorkspaceMgr workspaceMgr) {
        if (forBackprop && preOutput != null) {
            return new Pair<>(preOutput, null);
        }
        INDArray z = convolve(training, forBackprop, workspaceMgr);
        return z != null ? new Pair<>(z, null) : super.preOutput(training, forBackprop, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        try {
            Pair<Gradient, INDArray> own = gradients(epsilon, workspaceMgr);
            return own != null ? own : super.backpropGradient(epsilon, workspaceMgr);
        } finally {
            // the copy lives in a workspace DL4J recycles after this step: never reach it from the next one
            preOutput = null;
        }
    }

    /** This layer's convolution of its input before the activation, or null where DL4J's op computes it. */
    protected INDArray convolve(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        SingleChannelConvolution3D tapGemm = tapGemm();
        if (tapGemm == null) {
            return null;
        }
        INDArray weights = getParamWithNoise(Convolution3DParamInitializer.WEIGHT_KEY, training, workspaceMgr);
        INDArray bias = layerConf().hasBias()
                ? getParamWithNoise(Convolution3DParamInitializer.BIAS_KEY, training, workspaceMgr) : null;
        return tapGemm.forward(input, weights, bias, ArrayType.ACTIVATIONS,
                forBackprop ? ArrayType.BP_WORKING_MEM : ArrayType.FF_WORKING_MEM, workspaceMgr);
    }

    /**
     * The gradients for {@code epsilon} (the loss gradient at the activation), or null where DL4J's backprop
     * computes them. Subclasses that override {@link #convolve} override this too.
     */
    protected Pair<Gradient, INDArray> gradients(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        SingleChannelConvolution3D tapGemm = tapGemm();
        if (tapGemm == null) {
            return null;
        }
        INDArray weights = getParamWithNoise(Convolution3DParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        INDArray delta = delta(epsilon, workspaceMgr);
        INDArray weightGrad = gradientViews.get(Convolution3DParamInitializer.WEIGHT_KEY);
        INDArray biasGrad = layerConf().hasBias() ? gradientViews.get(Convolution3DParamInitializer.BIAS_KEY) : null;
        boolean wanted = !(layerConf() instanceof CachedConvolution3D)
                || ((CachedConvolution3D) layerConf()).isInputGradient();
        INDArray inputGrad = tapGemm.backward(input, weights, delta, weightGrad, biasGrad, wanted, workspaceMgr);
        return gradient(weightGrad, biasGrad, inputGrad);
    }

    /** The loss gradient before the activation, from this step's pre-activation. */
    protected INDArray delta(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        INDArray z = preOutput(true, true, workspaceMgr).getFirst();
        return layerConf().getActivationFn().backprop(z, epsilon).getFirst();
    }

    /** DL4J's gradient record of the weight and bias gradients (null: none), with the input gradient. */
    protected Pair<Gradient, INDArray> gradient(INDArray weightGrad, INDArray biasGrad, INDArray inputGrad) {
        Gradient gradient = new DefaultGradient();
        if (biasGrad != null) {
            gradient.setGradientFor(Convolution3DParamInitializer.BIAS_KEY, biasGrad);
        }
        gradient.setGradientFor(Convolution3DParamInitializer.WEIGHT_KEY, weightGrad, 'c');
        weightNoiseParams.clear();
        return new Pair<>(gradient, inputGrad);
    }

    /** The tap-GEMM kernel for this layer and input, or null where DL4J's op runs it. */
    private SingleChannelConvolution3D tapGemm() {
        Convolution3D conf = (Convolution3D) layerConf();
        if (input == null || input.rank() != 5 || input.dataType() != DataType.FLOAT || dataType != DataType.FLOAT
                || (conf.getNIn() != 1 && conf.getNOut() != 1) || conf.getNIn() != input.size(1)
                || conf.getDataFormat() != Convolution3D.DataFormat.NCDHW
                || conf.getConvolutionMode() != ConvolutionMode.Same
                || !Arrays.equals(conf.getStride(), new int[]{1, 1, 1})
                || !Arrays.equals(conf.getDilation(), new int[]{1, 1, 1})
                || Arrays.stream(conf.getKernelSize()).anyMatch(k -> k % 2 == 0)
                || !Convolution3DKernel.tapGemm()) {
            return null;
        }
        return new SingleChannelConvolution3D((int) conf.getNIn(), (int) conf.getNOut(),
                new int[]{(int) input.size(2), (int) input.size(3), (int) input.size(4)}, conf.getKernelSize());
    }
}
