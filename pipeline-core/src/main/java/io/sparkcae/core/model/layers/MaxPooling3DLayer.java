package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.subsampling.Subsampling3DLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's 3D subsampling layer whose max pooling runs on libnd4j's kernel where {@link PoolingKernel} says
 * oneDNN would fall back to its slow loop; everything else (other pooling types, dropout, other backends,
 * AVX-512 CPUs) is DL4J's own path.
 */
public class MaxPooling3DLayer extends Subsampling3DLayer {

    public MaxPooling3DLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private boolean ours() {
        return layerConf().getPoolingType() == PoolingType.MAX && layerConf().getIDropout() == null
                && input != null && input.rank() == 5 && PoolingKernel.libNd4j();
    }

    /** libnd4j's pooling arguments; with the same-mode flag set it works out the padding itself. */
    private int[] iArgs() {
        int[] k = layerConf().getKernelSize();
        int[] s = layerConf().getStride();
        int[] p = layerConf().getPadding();
        int[] d = layerConf().getDilation();
        return new int[]{k[0], k[1], k[2], s[0], s[1], s[2], p[0], p[1], p[2], d[0], d[1], d[2],
                convolutionMode == ConvolutionMode.Same ? 1 : 0, 0,
                layerConf().getDataFormat() == Convolution3D.DataFormat.NCDHW ? 0 : 1};
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!ours()) {
            return super.activate(training, workspaceMgr);
        }
        assertInputSet(false);
        return PoolingKernel.forward("maxpool3dnew", input, iArgs(), workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!ours()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        return new Pair<>(new DefaultGradient(), PoolingKernel.backward("maxpool3dnew", input, epsilon, iArgs(),
                workspaceMgr));
    }
}
