package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.Deconvolution2DLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A 2D transposed convolution whose backprop takes the pre-activation from this step's forward pass
 * ({@link ForwardCopy}) instead of running the transposed convolution again, as Deconvolution2DLayer does.
 */
public class CachedDeconvolution2DLayer extends Deconvolution2DLayer {

    public CachedDeconvolution2DLayer(NeuralNetConfiguration conf, DataType dataType) {
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
        Pair<INDArray, INDArray> z = super.preOutput(training, forBackprop, workspaceMgr);
        if (!forBackprop) {
            preOutput = ForwardCopy.keep(z.getFirst(), training, cacheMode, workspaceMgr);
        }
        return z;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        try {
            return super.backpropGradient(epsilon, workspaceMgr);
        } finally {
            preOutput = null;
        }
    }
}
