package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Runtime side of {@link VariationalLatent}. Backprop through the reparameterisation: for upstream
 * gradient g, {@code d/dmu = g + beta*mu}, {@code d/dlv = g*eps*exp(lv/2)/2 + beta*(exp(lv)-1)/2}. The KL
 * term of the last forward pass is reported through {@link #calcRegularizationScore}.
 */
public class VariationalLatentLayer extends LatentPenaltyLayer<VariationalLatent> {
    /** The noise of the last training forward pass, kept outside DL4J's workspaces until backprop. */
    private INDArray eps;

    public VariationalLatentLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private long k() {
        return input.size(1) / 2;
    }

    private INDArray mu() {
        return input.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k()));
    }

    private INDArray logVar() {
        return input.get(NDArrayIndex.all(), NDArrayIndex.interval(k(), 2 * k()));
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        double beta = layerConf().effectiveBeta();
        penalty = beta == 0 ? 0 : beta * VariationalLatent.klPerExample(input).meanNumber().doubleValue();
        if (!training) {
            eps = null;
            return mgr.dup(ArrayType.ACTIVATIONS, mu(), 'c');
        }
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            eps = Nd4j.createUninitialized(input.dataType(), input.size(0), k());
            Nd4j.getExecutioner().exec(new GaussianDistribution(eps, 0.0, 1.0), Nd4j.getRandom());
        }
        INDArray z = mgr.dup(ArrayType.ACTIVATIONS, logVar(), 'c').muli(0.5);
        Transforms.exp(z, false);
        return z.muli(eps).addi(mu());
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        if (eps == null) {
            throw new IllegalStateException("backprop without a training forward pass");
        }
        double beta = layerConf().effectiveBeta();
        long k = k();
        INDArray grad = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), input.size(0), 2 * k);
        INDArray gMu = grad.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k));
        INDArray gLv = grad.get(NDArrayIndex.all(), NDArrayIndex.interval(k, 2 * k));
        INDArray lv = logVar();
        gMu.assign(mu().mul(beta).addi(epsilon));
        INDArray sampling = Transforms.exp(lv.mul(0.5), false).muli(eps).muli(epsilon).muli(0.5);
        INDArray kl = Transforms.exp(lv, true).subi(1.0).muli(0.5 * beta);
        gLv.assign(sampling.addi(kl));
        return new Pair<>(new DefaultGradient(), grad);
    }


    @Override
    public void clear() {
        super.clear();
        eps = null;
    }
}
