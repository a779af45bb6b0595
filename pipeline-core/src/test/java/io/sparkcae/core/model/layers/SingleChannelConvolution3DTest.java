package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tap-GEMM convolution computes what libnd4j's conv3dnew and conv3dnew_bp compute. */
class SingleChannelConvolution3DTest {

    // the last two: 21 samples of 20^3 take two GEMM batches (19 + 2), since their tap planes pass 16 MB
    @ParameterizedTest(name = "{0}->{1} channels, kernel {2}x{3}x{4}, volume {5}x{6}x{7}, batch {8}")
    @CsvSource({
            "4, 1, 3, 3, 3, 5, 6, 7, 2",
            "1, 4, 3, 3, 3, 5, 6, 7, 2",
            "3, 1, 5, 3, 1, 6, 4, 5, 2",
            "1, 3, 1, 5, 3, 4, 6, 5, 2",
            "1, 1, 3, 3, 3, 2, 2, 2, 2",
            "2, 1, 5, 5, 5, 3, 3, 3, 2",
            "2, 1, 3, 3, 3, 20, 20, 20, 21",
            "1, 2, 3, 3, 3, 20, 20, 20, 21"})
    void matchesLibNd4jsConvolutionAndItsGradients(int nIn, int nOut, int kd, int kh, int kw, int d, int h, int w,
                                                    int batch) {
        Nd4j.getRandom().setSeed(11);
        int[] kernel = {kd, kh, kw};
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, nIn, d, h, w).subi(0.5);
        INDArray weights = Nd4j.rand(DataType.FLOAT, nOut, nIn, kd, kh, kw).subi(0.5);
        INDArray bias = Nd4j.rand(DataType.FLOAT, 1, nOut);
        INDArray delta = Nd4j.rand(DataType.FLOAT, batch, nOut, d, h, w).subi(0.5);
        int[] iArgs = {kd, kh, kw, 1, 1, 1, kd / 2, kh / 2, kw / 2, 1, 1, 1, 1, 0};
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        SingleChannelConvolution3D conv = new SingleChannelConvolution3D(nIn, nOut, new int[]{d, h, w}, kernel);

        INDArray expectedOut = Nd4j.create(DataType.FLOAT, batch, nOut, d, h, w);
        Nd4j.exec(DynamicCustomOp.builder("conv3dnew").addInputs(x, weights.permute(2, 3, 4, 1, 0), bias.reshape(nOut))
                .addIntegerArguments(iArgs).addOutputs(expectedOut).build());
        assertClose(expectedOut, conv.forward(x, weights, bias, ArrayType.ACTIVATIONS, ArrayType.FF_WORKING_MEM, ws), "output");

        INDArray expectedEps = Nd4j.create(DataType.FLOAT, x.shape());
        INDArray expectedWGrad = Nd4j.create(DataType.FLOAT, weights.shape());
        INDArray expectedBGrad = Nd4j.create(DataType.FLOAT, nOut);
        Nd4j.exec(DynamicCustomOp.builder("conv3dnew_bp")
                .addInputs(x, weights.permute(2, 3, 4, 1, 0), bias.reshape(nOut), delta)
                .addIntegerArguments(iArgs)
                .addOutputs(expectedEps, expectedWGrad.permute(2, 3, 4, 1, 0), expectedBGrad).build());
        INDArray wGrad = Nd4j.create(DataType.FLOAT, weights.shape());
        INDArray bGrad = Nd4j.create(DataType.FLOAT, 1, nOut);
        INDArray eps = conv.backward(x, weights, delta, wGrad, bGrad, true, ws);
        assertClose(expectedEps, eps, "input gradient");
        assertClose(expectedWGrad, wGrad, "weight gradient");
        assertClose(expectedBGrad.reshape(1, nOut), bGrad, "bias gradient");

        // a first layer's backprop: the same parameter gradients, no input gradient
        INDArray wGrad2 = Nd4j.create(DataType.FLOAT, weights.shape());
        INDArray bGrad2 = Nd4j.create(DataType.FLOAT, 1, nOut);
        assertNull(conv.backward(x, weights, delta, wGrad2, bGrad2, false, ws), "input gradient of a first layer");
        assertClose(expectedWGrad, wGrad2, "weight gradient without the input gradient");
        assertClose(expectedBGrad.reshape(1, nOut), bGrad2, "bias gradient without the input gradient");
    }

    @ParameterizedTest(name = "volume {0}x{1}x{2}")
    @CsvSource({"4, 5, 6", "1, 1, 1", "3, 1, 4"})
    void gatherSumIsTheAdjointOfExpand(int d, int h, int w) {
        TapShifts shifts = new TapShifts(d, h, w, new int[]{3, 3, 3});
        java.util.Random r = new java.util.Random(5);
        float[] x = new float[shifts.volume()];
        float[] z = new float[shifts.taps() * shifts.volume()];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        for (int i = 0; i < z.length; i++) {
            z[i] = r.nextFloat();
        }
        for (int sign : new int[]{1, -1}) {
            float[] ex = new float[z.length];
            shifts.expand(x, 0, ex, 0, shifts.volume(), sign);
            float[] gz = new float[x.length];
            shifts.gatherSum(z.clone(), 0, shifts.volume(), gz, 0, -sign);
            // <expand(x), z> == <x, gatherSum(z)> with the offsets negated
            double left = 0;
            double right = 0;
            for (int i = 0; i < z.length; i++) {
                left += ex[i] * z[i];
            }
            for (int i = 0; i < x.length; i++) {
                right += x[i] * gz[i];
            }
            assertTrue(Math.abs(left - right) < 1e-3 * Math.max(1, Math.abs(left)), left + " vs " + right);
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        // float sums over up to 168,000 voxels (libnd4j and the GEMMs add in different orders): relative to the largest value
        double scale = Math.max(1, expected.amaxNumber().doubleValue());
        assertTrue(diff < 1e-4 * scale, what + " differs by " + diff + " (largest value " + scale + ")");
    }
}
