package io.sparkcae.core.model;

import io.sparkcae.core.model.layers.VariationalLatent;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The reparameterisation and KL gradients of {@link VariationalLatent} against central differences of
 * {@code sum(w * z) + batch * penalty} (the penalty is a batch mean, gradients are per example), with the
 * noise held fixed by re-seeding ND4J's RNG before every forward pass.
 */
@Timeout(60)
class VariationalLatentGradientTest {

    private static double objective(Layer layer, INDArray in, INDArray w) {
        Nd4j.getRandom().setSeed(99);
        INDArray z = layer.activate(in, true, LayerWorkspaceMgr.noWorkspaces());
        return z.mul(w).sumNumber().doubleValue() + in.size(0) * layer.calcRegularizationScore(true);
    }

    @Test
    void backpropMatchesFiniteDifferences() {
        NeuralNetConfiguration conf = new NeuralNetConfiguration.Builder().layer(new VariationalLatent(0.7)).build();
        Layer layer = conf.getLayer().instantiate(conf, List.of(), 0, null, false, DataType.DOUBLE);
        Nd4j.getRandom().setSeed(5);
        INDArray in = Nd4j.randn(DataType.DOUBLE, 3, 8).muli(0.7); // 3 examples, k = 4: [mu | lv]
        INDArray w = Nd4j.randn(DataType.DOUBLE, 3, 4);

        objective(layer, in, w);
        INDArray analytic = layer.backpropGradient(w, LayerWorkspaceMgr.noWorkspaces()).getSecond();
        double h = 1e-6;
        for (int i = 0; i < in.rows(); i++) {
            for (int j = 0; j < in.columns(); j++) {
                double v = in.getDouble(i, j);
                in.putScalar(i, j, v + h);
                double up = objective(layer, in, w);
                in.putScalar(i, j, v - h);
                double down = objective(layer, in, w);
                in.putScalar(i, j, v);
                double numeric = (up - down) / (2 * h);
                assertEquals(numeric, analytic.getDouble(i, j), 1e-5 * (1 + Math.abs(numeric)),
                        "d/d input[" + i + "," + j + "]");
            }
        }
    }
}
