package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.Deconvolution3DLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A 3D transposed convolution whose backprop takes the pre-activation from this step's forward pass
 * ({@link ForwardCopy}) instead of running the transposed convolution again, as Deconvolution3DLayer does.
 * Its pre-activation method serves both passes, so the layer tells them apart by whether backprop is running.
 */
public class CachedDeconvolution3DLayer extends Deconvolution3DLayer {
    private boolean inBackprop;

    public CachedDeconvolution3DLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        preOutput = null;
        return super.activate(training, workspaceMgr);
    }

    @Override
    protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (inBackprop && preOutput != null) {
            return preOutput;
        }
        INDArray z = super.preOutput(training, workspaceMgr);
        if (!inBackprop) {
            preOutput = ForwardCopy.keep(z, training, cacheMode, workspaceMgr);
        }
        return z;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        inBackprop = true;
        try {
            return super.backpropGradient(epsilon, workspaceMgr);
        } finally {
            inBackprop = false;
            preOutput = null;
        }
    }
}
