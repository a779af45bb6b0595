package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;


/**
 * A stride-1, same-padded NCDHW 3D convolution with one input or one output channel, as matrix products over
 * the kernel's taps. oneDNN computes convolutions in blocks of 8 channels and gives a single channel the work
 * of eight: the CAE's 32->1 output convolution cost 30% of the oneDNN time of a 3D training step held to AVX2,
 * for 3% of its arithmetic. Here the single channel is shifted once per tap ({@link TapShifts}) and the rest
 * is one wide GEMM per chunk of samples, (taps x channels) by (channels x samples*voxels), the samples laid
 * side by side channel-major:
 *
 * <ul>
 *   <li>one output channel: {@code Z = W^T X} (taps x voxels), {@code y = sum_t shift_t(Z_t)};</li>
 *   <li>one input channel: {@code S = expand(x)} (taps x voxels), {@code Y = W S}.</li>
 * </ul>
 * Backprop is the same pair transposed. Weights are DL4J's [out, in, kD, kH, kW]; arrays are float.
 */
final class SingleChannelConvolution3D {
    /** Tap planes held at once (16 MB): bounds the scratch memory for large volumes and batches. */
    private static final long CHUNK_FLOATS = 4L << 20;
    private final int channels;
    private final boolean oneOutput;
    private final TapShifts shifts;

    /**
     * @param nIn    input channels
     * @param nOut   output channels; one of the two must be 1
     * @param dims   the volume's depth, height, width
     * @param kernel odd kernel sides
     */
    SingleChannelConvolution3D(int nIn, int nOut, int[] dims, int[] kernel) {
        if (nIn != 1 && nOut != 1) {
            throw new IllegalArgumentException("one input or one output channel expected: " + nIn + " -> " + nOut);
        }
        this.oneOutput = nOut == 1;
        this.channels = oneOutput ? nIn : nOut;
        this.shifts = new TapShifts(dims[0], dims[1], dims[2], kernel);
    }

    /**
     * The convolution of {@code x} [N, nIn, D, H, W] plus {@code bias} (null: none), into an array of
     * {@code outType}; intermediate products go to {@code scratch}. The bias rides along in work done anyway
     * (the sums' starting value, or a row of ones under the tap planes): a separate broadcast add cost more
     * than the single-channel GEMMs themselves.
     */
    INDArray forward(INDArray x, INDArray weights, INDArray bias, ArrayType outType, ArrayType scratch,
                     LayerWorkspaceMgr ws) {
        int n = (int) x.size(0);
        int v = shifts.volume();
        int taps = shifts.taps();
        int outChannels = oneOutput ? 1 : channels;
        boolean onesRow = !oneOutput && bias != null;
        int planeRows = onesRow ? taps + 1 : taps;
        INDArray out = ws.createUninitialized(outType, DataType.FLOAT,
                new long[]{n, outChannels, x.size(2), x.size(3), x.size(4)}, 'c');
        INDArray x3 = x.reshape('c', n, oneOutput ? channels : 1, v);
        INDArray o3 = out.reshape('c', n, outChannels, v);
        INDArray w = weights.reshape('c', channels, taps);
        INDArray wT = oneOutput ? transposed(w, scratch, ws) : null;
        if (onesRow) {
            INDArray withBias = ws.createUninitialized(scratch, DataType.FLOAT, new long[]{channels, planeRows}, 'c');
            withBias.get(NDArrayIndex.all(), NDArrayIndex.interval(0, taps)).assign(w);
            withBias.get(NDArrayIndex.all(), NDArrayIndex.point(taps)).assign(bias.reshape(channels));
            w = withBias;
        }
        float start = oneOutput && bias != null ? bias.getFloat(0) : 0f;
        int chunk = chunk(n);
        INDArray planesNd = ws.createUninitialized(scratch, DataType.FLOAT,
                new long[]{planeRows, (long) chunk * v}, 'c');
        INDArray wideNd = ws.createUninitialized(scratch, DataType.FLOAT, new long[]{channels, (long) chunk * v}, 'c');
        Scratch heap = Scratch.get(chunk * planeRows * v, chunk * v);
        for (int from = 0; from < n; from += chunk) {
            int m = Math.min(chunk, n - from);
            INDArray planes = columns(planesNd, m * v);
            INDArray wide = columns(wideNd, m * v);
            if (oneOutput) {
                // Z = W^T X, then y = b + sum_t shift_t(Z_t)
                toWide(rows(x3, from, m), wide);
                Nd4j.matmul(wT, wide, planes, false, false, false);
                HeapFloats.read(planes, heap.planes);
                gatherAll(heap.planes, heap.volume, m, 1, start);
                HeapFloats.write(heap.volume, m * v, rows(o3, from, m));
            } else {
                // S = expand(x) (over a row of ones), then Y = [W b] S
                HeapFloats.read(rows(x3, from, m), heap.volume);
                expandAll(heap.volume, heap.planes, m, 1, onesRow);
                HeapFloats.write(heap.planes, m * planeRows * v, planes);
                Nd4j.matmul(w, planes, wide, false, false, false);
                fromWide(wide, rows(o3, from, m));
            }
        }
        return out;
    }

    /**
     * Gradients of the convolution given {@code delta} (the loss gradient at its output, before the bias):
     * the weight gradient into {@code weightGrad} [out, in, kD, kH, kW], the bias gradient into
     * {@code biasGrad} (null: no bias), and the returned gradient with respect to {@code x} (null when not
     * {@code inputGrad}: a network's first layer).
     */
    INDArray backward(INDArray x, INDArray weights, INDArray delta, INDArray weightGrad, INDArray biasGrad,
                      boolean inputGrad, LayerWorkspaceMgr ws) {
        int n = (int) x.size(0);
        int v = shifts.volume();
        int taps = shifts.taps();
        boolean onesRow = !oneOutput && biasGrad != null;
        int planeRows = onesRow ? taps + 1 : taps;
        INDArray x3 = x.reshape('c', n, oneOutput ? channels : 1, v);
        INDArray d3 = delta.reshape('c', n, oneOutput ? 1 : channels, v);
        INDArray epsilon = inputGrad
                ? ws.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, x.shape(), 'c') : null;
        INDArray e3 = inputGrad ? epsilon.reshape('c', n, oneOutput ? channels : 1, v) : null;
        INDArray w = weights.reshape('c', channels, taps);
        int chunk = chunk(n);
        ArrayType scratch = ArrayType.BP_WORKING_MEM;
        INDArray wT = !oneOutput && inputGrad ? transposed(w, scratch, ws) : null;
        INDArray planesNd = ws.createUninitialized(scratch, DataType.FLOAT,
                new long[]{planeRows, (long) chunk * v}, 'c');
        INDArray wideNd = ws.createUninitialized(scratch, DataType.FLOAT, new long[]{channels, (long) chunk * v}, 'c');
        // (channels x taps) weight gradient, with the bias gradient as one more column under a row of ones
        INDArray grad = ws.createUninitialized(scratch, DataType.FLOAT, new long[]{channels, planeRows}, 'c');
        INDArray tapGrad = grad.get(NDArrayIndex.all(), NDArrayIndex.interval(0, taps));
        Scratch heap = Scratch.get(chunk * planeRows * v, chunk * v);
        INDArray wGrad = weightGrad.reshape('c', channels, taps);
        double deltaSum = 0;
        for (int from = 0; from < n; from += chunk) {
            int m = Math.min(chunk, n - from);
            INDArray planes = columns(planesNd, m * v);
            INDArray wide = columns(wideNd, m * v);
            if (oneOutput) {
                // S_t = delta shifted back by tap t; dW = X S^T, dX = W S, db = sum(delta)
                HeapFloats.read(rows(d3, from, m), heap.volume);
                for (int i = 0; i < m * v; i++) {
                    deltaSum += heap.volume[i];
                }
                expandAll(heap.volume, heap.planes, m, -1, false);
                HeapFloats.write(heap.planes, m * taps * v, planes);
                toWide(rows(x3, from, m), wide);
                Nd4j.matmul(wide, planes, grad, false, true, false);
                if (inputGrad) {
                    Nd4j.matmul(w, planes, wide, false, false, false);
                    fromWide(wide, rows(e3, from, m));
                }
            } else {
                // S = expand(x) over a row of ones; [dW db] = Delta S^T, dX = sum_t shift_t back (W^T Delta)
                HeapFloats.read(rows(x3, from, m), heap.volume);
                expandAll(heap.volume, heap.planes, m, 1, onesRow);
                HeapFloats.write(heap.planes, m * planeRows * v, planes);
                toWide(rows(d3, from, m), wide);
                Nd4j.matmul(wide, planes, grad, false, true, false);
                if (inputGrad) {
                    INDArray z = planes.get(NDArrayIndex.interval(0, taps), NDArrayIndex.all());
                    Nd4j.matmul(wT, wide, z, false, false, false);
                    HeapFloats.read(z, heap.planes);
                    gatherAll(heap.planes, heap.volume, m, -1, 0f);
                    HeapFloats.write(heap.volume, m * v, rows(e3, from, m));
                }
            }
            if (from == 0) {
                wGrad.assign(tapGrad);
            } else {
                wGrad.addi(tapGrad);
            }
            if (onesRow) {
                INDArray b = grad.get(NDArrayIndex.all(), NDArrayIndex.point(taps)).reshape(biasGrad.shape());
                if (from == 0) {
                    biasGrad.assign(b);
                } else {
                    biasGrad.addi(b);
                }
            }
        }
        if (oneOutput && biasGrad != null) {
            biasGrad.assign(deltaSum);
        }
        return epsilon;
    }

    /**
     * {@code w} transposed into a c-ordered array. oneDNN's AVX-512 GEMM takes a transposed left operand on a
     * slow path: the 27x32 by 32x32768 product ran 2.7 ms that way on an AMD EPYC (Zen 4), 0.45 ms on the copy.
     */
    private static INDArray transposed(INDArray w, ArrayType scratch, LayerWorkspaceMgr ws) {
        INDArray t = ws.createUninitialized(scratch, DataType.FLOAT, new long[]{w.size(1), w.size(0)}, 'c');
        return t.assign(w.transpose());
    }

    /**
     * The samples' tap planes, tap-major ([taps, samples * volume]) so that one GEMM covers them all, and
     * with {@code onesRow} a row of ones after them.
     */
    private void expandAll(float[] volumes, float[] planes, int samples, int sign, boolean onesRow) {
        int v = shifts.volume();
        int stride = samples * v;
        int taps = shifts.taps();
        java.util.Arrays.fill(planes, 0, taps * stride, 0f);
        for (int i = 0; i < samples; i++) {
            shifts.expand(volumes, i * v, planes, i * v, stride, sign);
        }
        if (onesRow) {
            java.util.Arrays.fill(planes, taps * stride, (taps + 1) * stride, 1f);
        }
    }

    /** Each sample's volume: {@code start} plus its tap planes shifted and summed. */
    private void gatherAll(float[] planes, float[] volumes, int samples, int sign, float start) {
        int v = shifts.volume();
        java.util.Arrays.fill(volumes, 0, samples * v, start);
        for (int i = 0; i < samples; i++) {
            shifts.gatherSum(planes, i * v, samples * v, volumes, i * v, sign);
        }
    }

    /** Samples-major [m, c, volume] into channel-major [c, m * volume], the layout of one wide GEMM. */
    private static void toWide(INDArray samples, INDArray wide) {
        wide.reshape('c', samples.size(1), samples.size(0), samples.size(2)).assign(samples.permute(1, 0, 2));
    }

    private static void fromWide(INDArray wide, INDArray samples) {
        samples.permute(1, 0, 2).assign(wide.reshape('c', samples.size(1), samples.size(0), samples.size(2)));
    }

    /** Samples per GEMM: all of them, unless their tap planes would pass {@link #CHUNK_FLOATS}. */
    private int chunk(int n) {
        long perSample = (long) shifts.taps() * shifts.volume();
        return (int) Math.max(1, Math.min(n, CHUNK_FLOATS / perSample));
    }

    /** The first {@code cols} columns of a [rows, chunk * volume] array, contiguous when they are all of it. */
    private static INDArray columns(INDArray a, int cols) {
        if (cols == a.size(1)) {
            return a;
        }
        // a shorter last chunk: a fresh c-ordered view over the start of the same buffer
        return Nd4j.create(a.data(), new long[]{a.size(0), cols}, new long[]{cols, 1}, a.offset(), 'c');
    }

    private static INDArray rows(INDArray a, int from, int m) {
        if (from == 0 && m == a.size(0)) {
            return a;
        }
        return a.get(NDArrayIndex.interval(from, from + m), NDArrayIndex.all(), NDArrayIndex.all());
    }

    /** Per-thread heap buffers for the tap planes and one channel, kept between calls, grown on demand. */
    private static final class Scratch {
        private static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);
        float[] planes = new float[0];
        float[] volume = new float[0];

        static Scratch get(int planeFloats, int volumeFloats) {
            Scratch s = PER_THREAD.get();
            if (s.planes.length < planeFloats) {
                s.planes = new float[planeFloats];
            }
            if (s.volume.length < volumeFloats) {
                s.volume = new float[volumeFloats];
            }
            return s;
        }
    }
}
