package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Cnn3DLossLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.Upsampling3D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upsampled convolution computes what DL4J's Upsampling3D followed by its Convolution3D computes: the same
 * output, the same parameter gradients, and (through a convolution before it) the same input gradient.
 */
class UpsampledConvolution3DTest {

    @ParameterizedTest(name = "kernel {0}, coarse volume {1}x{2}x{3}, cache {4}")
    @CsvSource({
            "3, 4, 5, 6, DEVICE",
            "3, 4, 5, 6, NONE",
            "5, 3, 4, 2, DEVICE",
            "1, 2, 3, 2, DEVICE",
            "3, 1, 1, 1, DEVICE"})
    void matchesUpsamplingThenConvolution(int k, int d, int h, int w, CacheMode cache) {
        ComputationGraph reference = net(k, d, h, w, cache, false);
        ComputationGraph fused = net(k, d, h, w, cache, true);
        assertEquals(reference.numParams(), fused.numParams());
        fused.setParams(reference.params().dup());

        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 2, d, h, w);
        INDArray y = Nd4j.rand(DataType.FLOAT, 3, 4, 2 * d, 2 * h, 2 * w);
        INDArray expected = reference.outputSingle(x);
        INDArray actual = fused.outputSingle(x);
        assertArrayEquals(expected.shape(), actual.shape());
        assertClose(expected, actual, "output");

        for (ComputationGraph g : new ComputationGraph[]{reference, fused}) {
            g.setInputs(x);
            g.setLabels(y);
            g.computeGradientAndScore();
        }
        assertEquals(reference.score(), fused.score(), 1e-4 * Math.abs(reference.score()), "loss");
        // the first convolution's gradients carry the input gradient of the upsampled convolution
        assertClose(reference.gradient().gradient(), fused.gradient().gradient(), "parameter gradients");

        // and a training step moves both the same way
        reference.fit(new INDArray[]{x}, new INDArray[]{y});
        fused.fit(new INDArray[]{x}, new INDArray[]{y});
        assertClose(reference.params(), fused.params(), "parameters after a step");
    }

    private static ComputationGraph net(int k, int d, int h, int w, CacheMode cache, boolean fused) {
        Convolution3D.Builder second = new Convolution3D.Builder().kernelSize(k, k, k).stride(1, 1, 1).nOut(4)
                .dataFormat(Convolution3D.DataFormat.NCDHW).activation(Activation.RELU);
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(3).updater(new Sgd(0.1)).dataType(DataType.FLOAT)
                .convolutionMode(ConvolutionMode.Same)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED).inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .cacheMode(cache)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional3D(Convolution3D.DataFormat.NCDHW, d, h, w, 2))
                .addLayer("first", new Convolution3D.Builder().kernelSize(3, 3, 3).stride(1, 1, 1).nOut(3)
                        .dataFormat(Convolution3D.DataFormat.NCDHW).activation(Activation.TANH).build(), "in");
        String last;
        if (fused) {
            g.addLayer("up_conv", UpsampledConvolution3D.from(second), "first");
            last = "up_conv";
        } else {
            Layer up = new Upsampling3D.Builder(2).dataFormat(Convolution3D.DataFormat.NCDHW).build();
            g.addLayer("up", up, "first");
            g.addLayer("conv", second.build(), "up");
            last = "conv";
        }
        g.addLayer("out", new Cnn3DLossLayer.Builder(Convolution3D.DataFormat.NCDHW)
                .lossFunction(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build(), last);
        g.setOutputs("out");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        assertTrue(diff < 1e-4 * Math.max(1, scale), what + " differs by " + diff + " (largest value " + scale + ")");
    }
}
