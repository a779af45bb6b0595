package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.Convolution3DParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The layer of {@link UpsampledConvolution3D}: one libnd4j convolution of the coarse input with the eight
 * phase kernels stacked as output channels, whose phases are then interleaved into the fine output; backprop
 * is that convolution's backprop, the phase kernels' gradients summed back onto the original taps. As in
 * {@link CachedConvolution3DLayer}, backprop takes the pre-activation from this step's forward pass.
 */
public class UpsampledConvolution3DLayer extends CachedConvolution3DLayer {

    public UpsampledConvolution3DLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    protected INDArray convolve(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        UpsamplingPhases phases = phases();
        int out = (int) layerConf().getNOut();
        ArrayType scratch = forBackprop ? ArrayType.BP_WORKING_MEM : ArrayType.FF_WORKING_MEM;
        INDArray weights = getParamWithNoise(Convolution3DParamInitializer.WEIGHT_KEY, training, workspaceMgr);
        INDArray stacked = workspaceMgr.createUninitialized(scratch, dataType, stackedShape(phases), 'c');
        List<INDArray> inputs = new ArrayList<>(List.of(input,
                stackedWeights(weights, phases, scratch, workspaceMgr).permute(2, 3, 4, 1, 0)));
        if (layerConf().hasBias()) {
            inputs.add(stackedBias(training, scratch, workspaceMgr));
        }
        Nd4j.exec(DynamicCustomOp.builder("conv3dnew").addInputs(inputs.toArray(new INDArray[0]))
                .addIntegerArguments(intArgs(phases)).addOutputs(stacked).build());
        long[] fine = {input.size(0), out, 2 * input.size(2), 2 * input.size(3), 2 * input.size(4)};
        INDArray z = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, fine, 'c');
        for (int p = 0; p < 8; p++) {
            z.get(finePhase(p)).assign(stacked.get(window(phases, p, out)));
        }
        return z;
    }

    @Override
    protected Pair<Gradient, INDArray> gradients(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        UpsamplingPhases phases = phases();
        int out = (int) layerConf().getNOut();
        int in = (int) layerConf().getNIn();
        ArrayType scratch = ArrayType.BP_WORKING_MEM;
        INDArray weights = getParamWithNoise(Convolution3DParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        INDArray delta = delta(epsilon, workspaceMgr);
        // each phase's share of delta at its window of the stacked output; the rest of it has no effect
        INDArray stackedDelta = workspaceMgr.create(scratch, dataType, stackedShape(phases), 'c');
        for (int p = 0; p < 8; p++) {
            stackedDelta.get(window(phases, p, out)).assign(delta.get(finePhase(p)));
        }
        INDArray stackedWeightGrad = workspaceMgr.createUninitialized(scratch, dataType,
                new long[]{8L * out, in, phases.phaseKernel(), phases.phaseKernel(), phases.phaseKernel()}, 'c');
        INDArray inputGrad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, input.shape(), 'c');
        List<INDArray> inputs = new ArrayList<>(List.of(input,
                stackedWeights(weights, phases, scratch, workspaceMgr).permute(2, 3, 4, 1, 0)));
        List<INDArray> outputs = new ArrayList<>(List.of(inputGrad, stackedWeightGrad.permute(2, 3, 4, 1, 0)));
        INDArray stackedBiasGrad = null;
        if (layerConf().hasBias()) {
            inputs.add(stackedBias(true, scratch, workspaceMgr));
            stackedBiasGrad = workspaceMgr.createUninitialized(scratch, dataType, new long[]{8L * out}, 'c');
            outputs.add(stackedBiasGrad);
        }
        inputs.add(stackedDelta);
        Nd4j.exec(DynamicCustomOp.builder("conv3dnew_bp").addInputs(inputs.toArray(new INDArray[0]))
                .addIntegerArguments(intArgs(phases)).addOutputs(outputs.toArray(new INDArray[0])).build());

        INDArray weightGrad = gradientViews.get(Convolution3DParamInitializer.WEIGHT_KEY);
        float[] folded = new float[(int) stackedWeightGrad.length()];
        HeapFloats.read(stackedWeightGrad, folded);
        weightGrad.assign(Nd4j.create(phases.unfold(folded, out, in), weightGrad.shape(), 'c'));
        INDArray biasGrad = null;
        if (stackedBiasGrad != null) {
            biasGrad = gradientViews.get(Convolution3DParamInitializer.BIAS_KEY);
            biasGrad.assign(stackedBiasGrad.reshape(8, out).sum(0).reshape(biasGrad.shape()));
        }
        return gradient(weightGrad, biasGrad, inputGrad);
    }

    /** The phase kernels of {@code weights} [out, in, k, k, k] as a c-ordered [8 out, in, p, p, p] array. */
    private INDArray stackedWeights(INDArray weights, UpsamplingPhases phases, ArrayType scratch,
                                    LayerWorkspaceMgr workspaceMgr) {
        int out = (int) weights.size(0);
        int in = (int) weights.size(1);
        float[] w = new float[(int) weights.length()];
        HeapFloats.read(weights, w);
        float[] folded = phases.fold(w, out, in);
        int p = phases.phaseKernel();
        INDArray stacked = workspaceMgr.createUninitialized(scratch, dataType, new long[]{8L * out, in, p, p, p}, 'c');
        HeapFloats.write(folded, folded.length, stacked);
        return stacked;
    }

    /** The bias repeated for each phase's block of output channels. */
    private INDArray stackedBias(boolean training, ArrayType scratch, LayerWorkspaceMgr workspaceMgr) {
        int out = (int) layerConf().getNOut();
        INDArray bias = getParamWithNoise(Convolution3DParamInitializer.BIAS_KEY, training, workspaceMgr);
        INDArray stacked = workspaceMgr.createUninitialized(scratch, dataType, new long[]{8L * out}, 'c');
        for (int p = 0; p < 8; p++) {
            stacked.get(NDArrayIndex.interval(p * out, (p + 1) * out)).assign(bias.reshape(out));
        }
        return stacked;
    }

    private long[] stackedShape(UpsamplingPhases phases) {
        return new long[]{input.size(0), 8L * layerConf().getNOut(), phases.stackedSide((int) input.size(2)),
                phases.stackedSide((int) input.size(3)), phases.stackedSide((int) input.size(4))};
    }

    /** Phase {@code p}'s voxels in the stacked output: its channel block and its window. */
    private INDArrayIndex[] window(UpsamplingPhases phases, int p, int out) {
        INDArrayIndex[] idx = new INDArrayIndex[5];
        idx[0] = NDArrayIndex.all();
        idx[1] = NDArrayIndex.interval(p * out, (p + 1) * out);
        for (int axis = 0; axis < 3; axis++) {
            int start = phases.start((p >> (2 - axis)) & 1);
            idx[2 + axis] = NDArrayIndex.interval(start, start + input.size(2 + axis));
        }
        return idx;
    }

    /** Phase {@code p}'s voxels in the fine output: every other voxel per axis, from its phase. */
    private INDArrayIndex[] finePhase(int p) {
        INDArrayIndex[] idx = new INDArrayIndex[5];
        idx[0] = NDArrayIndex.all();
        idx[1] = NDArrayIndex.all();
        for (int axis = 0; axis < 3; axis++) {
            int a = (p >> (2 - axis)) & 1;
            long coarse = input.size(2 + axis);
            // ND4J misreads a strided interval that selects one element: name that element plainly
            idx[2 + axis] = coarse == 1 ? NDArrayIndex.interval(a, a + 1) : NDArrayIndex.interval(a, 2, 2 * coarse);
        }
        return idx;
    }

    /** libnd4j's conv3dnew arguments: the phase kernel, stride 1, the phases' padding, NCDHW. */
    private static int[] intArgs(UpsamplingPhases phases) {
        int k = phases.phaseKernel();
        int pad = phases.padding();
        return new int[]{k, k, k, 1, 1, 1, pad, pad, pad, 1, 1, 1, 0, 0};
    }

    private UpsamplingPhases phases() {
        Convolution3D conf = (Convolution3D) layerConf();
        int[] k = conf.getKernelSize();
        if (input.rank() != 5 || dataType != DataType.FLOAT || conf.getDataFormat() != Convolution3D.DataFormat.NCDHW
                || conf.getConvolutionMode() != ConvolutionMode.Same
                || !Arrays.equals(conf.getStride(), new int[]{1, 1, 1})
                || !Arrays.equals(conf.getDilation(), new int[]{1, 1, 1})
                || k[0] != k[1] || k[1] != k[2] || k[0] % 2 == 0) {
            throw new IllegalStateException("layer " + conf.getLayerName() + ": an upsampled convolution needs "
                    + "float NCDHW input, same padding, stride and dilation 1 and an odd cubic kernel; got kernel "
                    + Arrays.toString(k) + ", stride " + Arrays.toString(conf.getStride()) + ", mode "
                    + conf.getConvolutionMode());
        }
        return new UpsamplingPhases(k[0]);
    }
}
