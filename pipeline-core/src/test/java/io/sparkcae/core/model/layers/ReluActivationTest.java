package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The two-op ReLU derivative equals ND4J's relu_bp, and the activation survives DL4J's JSON. */
class ReluActivationTest {

    @Test
    void derivativeAndActivationMatchNd4jsRelu() {
        Nd4j.getRandom().setSeed(3);
        INDArray z = Nd4j.rand(DataType.FLOAT, 4, 3, 5, 6).subi(0.5);
        z.putScalar(new long[]{0, 0, 0, 0}, 0f);   // the kink: both give 0 there
        INDArray eps = Nd4j.rand(DataType.FLOAT, 4, 3, 5, 6).subi(0.5);
        INDArray zBefore = z.dup();
        INDArray ours = new ReluActivation().backprop(z, eps.dup()).getFirst();
        INDArray theirs = new ActivationReLU().backprop(z.dup(), eps.dup()).getFirst();
        assertEquals(theirs, ours);
        assertEquals(zBefore, z, "the pre-activation is left as it was");
        assertEquals(0f, ours.getFloat(0, 0, 0, 0));
        assertEquals(new ActivationReLU().getActivation(z.dup(), true),
                new ReluActivation().getActivation(z.dup(), true));
    }

    @Test
    void survivesDl4jsJson() {
        NeuralNetConfiguration conf = new NeuralNetConfiguration.Builder()
                .layer(new DenseLayer.Builder().nIn(2).nOut(2).activation(new ReluActivation()).build()).build();
        NeuralNetConfiguration back = NeuralNetConfiguration.fromJson(conf.toJson());
        assertInstanceOf(ReluActivation.class, ((DenseLayer) back.getLayer()).getActivationFn());
    }
}
